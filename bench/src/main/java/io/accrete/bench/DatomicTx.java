package io.accrete.bench;

/** {@link TxWorkloads} on Datomic's peer library ({@code datomic:mem://}). */
public class DatomicTx extends TxWorkloads {
  @Override
  protected Side newSide() {
    return new DatomicSide();
  }
}
