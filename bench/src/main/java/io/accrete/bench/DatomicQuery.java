package io.accrete.bench;

/** {@link QueryWorkloads} on Datomic's peer library ({@code datomic:mem://}). */
public class DatomicQuery extends QueryWorkloads {
  @Override
  protected Side newSide() {
    return new DatomicSide();
  }
}
