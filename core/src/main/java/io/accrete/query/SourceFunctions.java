package io.accrete.query;

import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Log;
import io.accrete.db.Db;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in functions that read a source: {@code get-else}, {@code get-some},
 * {@code missing?} and {@code fulltext} read a database; {@code tx-ids} and {@code tx-data} read a log.
 */
final class SourceFunctions {
  private SourceFunctions() {}

  static Execution.Invoker invoker(String name, int arity, Object form) {
    switch (name) {
      case "get-else":
        check(name, arity, 4, 4, form);
        return a -> {
          Db db = db(a[0], name, form);
          Attribute at = attribute(db, a[2], name, form);
          if (at.isMany()) {
            throw QueryParser.error("get-else needs a cardinality-one attribute; " + at.ident()
                + " is many, in " + QueryParser.show(form));
          }
          Long e = Execution.entityOf(db, a[1]);
          Object v = e == null ? null : db.value(e, at.id());
          if (a[3] == null) {
            throw QueryParser.error("get-else default must not be nil, in " + QueryParser.show(form));
          }
          return v != null ? v : a[3];
        };
      case "get-some":
        check(name, arity, 3, Functions.VARIADIC, form);
        return a -> {
          Db db = db(a[0], name, form);
          Long e = Execution.entityOf(db, a[1]);
          if (e == null) {
            return null;
          }
          for (int i = 2; i < a.length; i++) {
            Attribute at = attribute(db, a[i], name, form);
            Object v = db.value(e, at.id());
            if (v != null) {
              return Arrays.asList(at.id(), v);
            }
          }
          return null;
        };
      case "missing?":
        check(name, arity, 3, 3, form);
        return a -> {
          Db db = db(a[0], name, form);
          Attribute at = attribute(db, a[2], name, form);
          Long e = Execution.entityOf(db, a[1]);
          return e == null || db.value(e, at.id()) == null;
        };
      case "fulltext":
        // (fulltext $ :attr "query") → [[?e ?value ?tx ?score] …], as Datomic binds it.
        check(name, arity, 3, 3, form);
        return a -> {
          Db db = db(a[0], name, form);
          Attribute at = attribute(db, a[1], name, form);
          if (!(a[2] instanceof String q)) {
            throw QueryParser.error("fulltext needs a search string as its third argument, not "
                + QueryParser.show(a[2]) + ", in " + QueryParser.show(form));
          }
          return db.fulltext(at).search(q);
        };
      case "tx-ids":
        check(name, arity, 3, 3, form);
        return a -> {
          Log log = log(a[0], name, form);
          List<Object> out = new ArrayList<>();
          for (Log.Entry en : log.txRange(a[1], a[2])) {
            out.add(en.data().get(0).tx());
          }
          return out;
        };
      case "tx-data":
        check(name, arity, 2, 2, form);
        return a -> {
          Log log = log(a[0], name, form);
          if (!(a[1] instanceof Number n)) {
            throw QueryParser.error("tx-data needs a t or transaction id, not " + QueryParser.show(a[1]));
          }
          long t = io.accrete.schema.Ids.toT(n.longValue());
          List<Object> out = new ArrayList<>();
          for (Log.Entry en : log.txRange(t, t + 1)) {
            for (Datom d : en.data()) {
              out.add(Arrays.asList(d.e(), d.a(), d.v(), d.tx(), d.added()));
            }
          }
          return out;
        };
      default:
        throw new IllegalStateException(name);
    }
  }

  private static void check(String name, int arity, int min, int max, Object form) {
    if (arity < min || arity > max) {
      throw QueryParser.error("Wrong number of arguments (" + arity + ") to " + name + " in "
          + QueryParser.show(form));
    }
  }

  private static Db db(Object src, String name, Object form) {
    if (src instanceof Db db) {
      return db;
    }
    throw QueryParser.error(name + " needs a database as its first argument ($), in " + QueryParser.show(form));
  }

  private static Log log(Object src, String name, Object form) {
    if (src instanceof Log log) {
      return log;
    }
    throw QueryParser.error(name + " needs a log (Connection.log()) as its first argument, in "
        + QueryParser.show(form));
  }

  private static Attribute attribute(Db db, Object a, String name, Object form) {
    Attribute at = db.attribute(a);
    if (at == null) {
      throw QueryParser.error("Unknown attribute " + QueryParser.show(a) + " in " + QueryParser.show(form));
    }
    return at;
  }

}
