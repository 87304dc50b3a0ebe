package io.accrete.bench;

/** {@link TxWorkloads} on Accrete ({@code accrete:mem://}). */
public class AccreteTx extends TxWorkloads {
  @Override
  protected Side newSide() {
    return new AccreteSide();
  }
}
