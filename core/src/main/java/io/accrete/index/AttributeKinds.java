package io.accrete.index;

/** What the indexes need to know about an attribute to place its datoms. */
public interface AttributeKinds {
  /** True when the attribute's values are entity references (they go into VAET too). */
  boolean isRef(long attr);

  /** True when retracted values of the attribute are kept in history. */
  boolean keepsHistory(long attr);
}
