package io.accrete.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Arithmetic on query values with Clojure's contagion: long op long stays long (overflow is an
 * error, not a silent wrap), anything with a double becomes double, big numbers stay exact.
 * Division of longs truncates toward zero, as Accrete documents.
 */
final class Numbers {
  private Numbers() {}

  private static int kind(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return 0;
    } else if (n instanceof BigInteger) {
      return 1;
    } else if (n instanceof BigDecimal) {
      return 2;
    }
    return 3; // double, float
  }

  private static int join(Number a, Number b) {
    return Math.max(kind(a), kind(b));
  }

  private static BigInteger big(Number n) {
    return n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
  }

  private static BigDecimal dec(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  static Number add(Number a, Number b) {
    switch (join(a, b)) {
      case 0:
        try {
          return Math.addExact(a.longValue(), b.longValue());
        } catch (ArithmeticException e) {
          throw Functions.error("integer overflow in + of " + a + " and " + b);
        }
      case 1:
        return big(a).add(big(b));
      case 2:
        return dec(a).add(dec(b));
      default:
        return a.doubleValue() + b.doubleValue();
    }
  }

  static Number subtract(Number a, Number b) {
    switch (join(a, b)) {
      case 0:
        try {
          return Math.subtractExact(a.longValue(), b.longValue());
        } catch (ArithmeticException e) {
          throw Functions.error("integer overflow in - of " + a + " and " + b);
        }
      case 1:
        return big(a).subtract(big(b));
      case 2:
        return dec(a).subtract(dec(b));
      default:
        return a.doubleValue() - b.doubleValue();
    }
  }

  static Number multiply(Number a, Number b) {
    switch (join(a, b)) {
      case 0:
        try {
          return Math.multiplyExact(a.longValue(), b.longValue());
        } catch (ArithmeticException e) {
          throw Functions.error("integer overflow in * of " + a + " and " + b);
        }
      case 1:
        return big(a).multiply(big(b));
      case 2:
        return dec(a).multiply(dec(b));
      default:
        return a.doubleValue() * b.doubleValue();
    }
  }

  static Number divide(Number a, Number b) {
    int k = join(a, b);
    if (k < 3 && sign(b) == 0) {
      throw Functions.error("division by zero: " + a + " / " + b);
    }
    switch (k) {
      case 0:
        return a.longValue() / b.longValue();
      case 1:
        return big(a).divide(big(b));
      case 2:
        return dec(a).divide(dec(b), MathContext.DECIMAL128);
      default:
        return a.doubleValue() / b.doubleValue();
    }
  }

  static Number quot(Number a, Number b) {
    int k = join(a, b);
    if (sign(b) == 0) {
      throw Functions.error("division by zero: quot " + a + " " + b);
    }
    switch (k) {
      case 0:
        return a.longValue() / b.longValue();
      case 1:
        return big(a).divide(big(b));
      case 2:
        return dec(a).divideToIntegralValue(dec(b));
      default:
        double q = a.doubleValue() / b.doubleValue();
        return q < 0 ? Math.ceil(q) : Math.floor(q);
    }
  }

  static Number rem(Number a, Number b) {
    int k = join(a, b);
    if (sign(b) == 0) {
      throw Functions.error("division by zero: rem " + a + " " + b);
    }
    switch (k) {
      case 0:
        return a.longValue() % b.longValue();
      case 1:
        return big(a).remainder(big(b));
      case 2:
        return dec(a).remainder(dec(b));
      default:
        return a.doubleValue() % b.doubleValue();
    }
  }

  static Number mod(Number a, Number b) {
    int k = join(a, b);
    if (sign(b) == 0) {
      throw Functions.error("division by zero: mod " + a + " " + b);
    }
    switch (k) {
      case 0:
        return Math.floorMod(a.longValue(), b.longValue());
      case 1:
        BigInteger m = big(a).mod(big(b).abs());
        return big(b).signum() < 0 && m.signum() != 0 ? m.add(big(b)) : m;
      default:
        Number r = rem(a, b);
        return sign(r) != 0 && sign(r) != sign(b) ? add(r, b) : r;
    }
  }

  static int sign(Number n) {
    switch (kind(n)) {
      case 0:
        return Long.signum(n.longValue());
      case 1:
        return ((BigInteger) n).signum();
      case 2:
        return ((BigDecimal) n).signum();
      default:
        double d = n.doubleValue();
        return d > 0 ? 1 : d < 0 ? -1 : 0;
    }
  }

  /** Compares by numeric value only, whatever the types. */
  static int compareValue(Number a, Number b) {
    switch (join(a, b)) {
      case 0:
        return Long.compare(a.longValue(), b.longValue());
      case 1:
        return big(a).compareTo(big(b));
      case 2:
        return dec(a).compareTo(dec(b));
      default:
        if (kind(a) == 3 && kind(b) == 3) {
          return Double.compare(a.doubleValue(), b.doubleValue());
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
          return Double.compare(x, y);
        }
        BigDecimal bx = kind(a) == 3 ? new BigDecimal(x) : dec(a);
        BigDecimal by = kind(b) == 3 ? new BigDecimal(y) : dec(b);
        return bx.compareTo(by);
    }
  }
}
