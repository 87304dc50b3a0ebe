package io.accrete.tx;

import io.accrete.db.Errors;

/** Shows forms and values in error messages, shortened so a huge map cannot drown the message. */
final class TxErrors {
  private TxErrors() {}

  private static final int MAX = 240;

  static String brief(Object form) {
    String s = Errors.show(form);
    return s.length() <= MAX ? s : s.substring(0, MAX) + " …";
  }
}
