package io.accrete.bench;

/** {@link QueryWorkloads} on Accrete ({@code accrete:mem://}). */
public class AccreteQuery extends QueryWorkloads {
  @Override
  protected Side newSide() {
    return new AccreteSide();
  }
}
