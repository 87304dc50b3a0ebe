package io.accrete.cli;

/** Entry point of the {@code accrete} command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("accrete");
  }
}
