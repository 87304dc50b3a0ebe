package io.accrete.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexConvertlet;

/**
 * PostgreSQL's {@code to_char(number, format)}; Calcite's library has {@code to_char} for dates
 * and times only, which stays theirs ({@link #OPERATORS} holds a {@code TO_CHAR} that takes
 * numbers alone). Format characters: {@code 9} (a digit, blank when a leading zero), {@code 0}
 * (a digit, shown when a leading zero), {@code .} or {@code D} (the decimal point), {@code ,} or
 * {@code G} (a group separator, blank left of the first digit), {@code FM} (no padding, no
 * trailing fraction zeros), {@code S} (the sign, + or -), {@code MI} (a minus or a blank after
 * the number), {@code PR} (a negative value in angle brackets); other characters are copied. A
 * value with more integer digits than the format has is all {@code #}. Without S, MI or PR a
 * position left of the digits is kept for the sign, as in PostgreSQL. Public only for Calcite's
 * generated code.
 */
public final class NumberText {
  private NumberText() {}

  /**
   * {@code TO_CHAR(numeric or date/time, text)}, found before Calcite's (which takes only a
   * timestamp; beside it, a DATE matched neither): numbers are formatted here, dates and times
   * handed to Calcite's PostgreSQL {@code TO_CHAR} as timestamps.
   */
  static final SqlFunction TO_CHAR = new SqlFunction("TO_CHAR", SqlKind.OTHER_FUNCTION, ReturnTypes.VARCHAR_NULLABLE,
      null, OperandTypes.or(OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.CHARACTER),
          OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.CHARACTER)), SqlFunctionCategory.STRING);

  static final SqlOperatorTable OPERATORS = SqlOperatorTables.of(TO_CHAR);

  private static final SqlUserDefinedFunction FORMAT;

  static {
    try {
      FORMAT = new SqlUserDefinedFunction(new SqlIdentifier("accrete_number_text", SqlParserPos.ZERO),
          ReturnTypes.VARCHAR_NULLABLE, null, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.CHARACTER), null,
          ScalarFunctionImpl.create(NumberText.class.getMethod("toChar", BigDecimal.class, String.class)));
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The conversion of a {@link #TO_CHAR} call: the number as a decimal, formatted by {@link #toChar}. */
  static final SqlRexConvertlet CONVERTLET = (cx, call) -> {
    RexBuilder rex = cx.getRexBuilder();
    RexNode number = cx.convertExpression(call.operand(0));
    if (SqlTypeName.DATETIME_TYPES.contains(number.getType().getSqlTypeName())) {
      RexNode at = number.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP ? number
          : rex.makeCast(rex.getTypeFactory().createTypeWithNullability(rex.getTypeFactory().createSqlType(
              SqlTypeName.TIMESTAMP, 3), number.getType().isNullable()), number);
      return rex.makeCall(cx.getValidator().getValidatedNodeType(call),
          org.apache.calcite.sql.fun.SqlLibraryOperators.TO_CHAR_PG, List.of(at, cx.convertExpression(call.operand(1))));
    }
    if (number.getType().getSqlTypeName() != SqlTypeName.DECIMAL) {
      boolean exact = SqlTypeName.INT_TYPES.contains(number.getType().getSqlTypeName());
      number = rex.makeCast(rex.getTypeFactory().createTypeWithNullability(rex.getTypeFactory().createSqlType(
          SqlTypeName.DECIMAL, exact ? 19 : 38, exact ? 0 : 16), number.getType().isNullable()), number);
    }
    return rex.makeCall(cx.getValidator().getValidatedNodeType(call), FORMAT,
        List.of(number, cx.convertExpression(call.operand(1))));
  };

  /**
   * The number as the format says.
   *
   * @param value the number, or null
   * @param format PostgreSQL's numeric format
   * @return the text, or null when either is null
   */
  public static String toChar(BigDecimal value, String format) {
    if (value == null || format == null) {
      return null;
    }
    String upper = format.toUpperCase(Locale.ROOT);
    boolean fill = upper.contains("FM");
    boolean sign = upper.replace("FM", "").contains("S");
    boolean minus = upper.contains("MI");
    boolean brackets = upper.contains("PR");
    String f = format.replaceAll("(?i)FM|MI|PR|S", "");
    int point = indexOfPoint(f);
    String intFormat = point < 0 ? f : f.substring(0, point);
    String fracFormat = point < 0 ? "" : f.substring(point + 1);
    int fracDigits = count(fracFormat);
    int intDigits = count(intFormat);
    String digits = value.abs().setScale(fracDigits, RoundingMode.HALF_UP).toPlainString();
    String intText = fracDigits == 0 ? digits : digits.substring(0, digits.indexOf('.'));
    String fracText = fracDigits == 0 ? "" : digits.substring(digits.indexOf('.') + 1);
    if (intText.equals("0") && (fracDigits > 0 || intDigits == 0)) {
      intText = ""; // 0.5 with 9.99 is .50; its zero shows only where the format has a 0
    }
    boolean overflow = intText.length() > intDigits;
    int firstZero = intFormat.indexOf('0');
    StringBuilder in = new StringBuilder();
    int next = intText.length() - 1;
    for (int i = intFormat.length() - 1; i >= 0; i--) {
      char c = intFormat.charAt(i);
      if (c == '9' || c == '0') {
        in.append(overflow ? '#' : next >= 0 ? intText.charAt(next) : firstZero >= 0 && i >= firstZero ? '0' : ' ');
        next--;
      } else if (c == ',' || c == 'G' || c == 'g') {
        in.append(overflow || next >= 0 ? ',' : ' ');
      } else {
        in.append(c);
      }
    }
    String integer = in.reverse().toString();
    if (intDigits > 0 && fracDigits == 0 && integer.isBlank()) {
      integer = integer.substring(0, integer.length() - 1) + "0"; // zero shows one digit
    }
    StringBuilder frac = new StringBuilder();
    int d = 0;
    for (char c : fracFormat.toCharArray()) {
      frac.append(c == '9' || c == '0' ? overflow ? '#' : fracText.charAt(d++) : c);
    }
    String fraction = frac.toString();
    if (fill) {
      integer = integer.stripLeading();
      fraction = fraction.replaceAll("0+$", "");
    }
    String number = integer + (point < 0 ? "" : ".") + fraction;
    boolean negative = value.signum() < 0;
    if (sign) {
      return upper.replace("FM", "").startsWith("S") ? signed(number, negative ? "-" : "+") : number + (negative ? "-" : "+");
    }
    if (minus) {
      return number + (negative ? "-" : fill ? "" : " ");
    }
    if (brackets) {
      return negative ? signed(number, "<") + ">" : fill ? number : " " + number + " ";
    }
    return fill ? (negative ? "-" : "") + number : signed(" " + number, negative ? "-" : " ");
  }

  /** The sign just left of the first character that is not a padding blank. */
  private static String signed(String number, String sign) {
    int k = 0;
    while (k < number.length() && number.charAt(k) == ' ') {
      k++;
    }
    return k == 0 ? sign + number : number.substring(0, k - 1) + sign + number.substring(k);
  }

  private static int count(String format) {
    return (int) format.chars().filter(c -> c == '9' || c == '0').count();
  }

  private static int indexOfPoint(String f) {
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c == '.' || c == 'D' || c == 'd') {
        return i;
      }
    }
    return -1;
  }
}
