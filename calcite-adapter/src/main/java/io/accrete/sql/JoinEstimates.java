package io.accrete.sql;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataDef;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * Join sizes from distinct counts, as PostgreSQL estimates an equi-join: {@code left × right /
 * max(distinct left keys, distinct right keys)}, the distinct counts of the key columns taken
 * from the indexes ({@link IndexStats}); and a planner set's rows as the fewest of its logical
 * expression and the Accrete scans in it. Every other estimate is Calcite's. Calcite multiplies the inputs by a fixed 0.15 per
 * equality, which makes a join of 23,000 orders with 15,000 customers 51 million rows; when the
 * key attributes are not declared unique nothing else tells the join ordering otherwise, and TPC-H
 * Q5 ran for minutes instead of a fifth of a second. Joins on a side's declared key keep
 * Calcite's estimate, which the key-driven join ordering already gets right.
 */
final class JoinEstimates {
  private JoinEstimates() {}

  /** Calcite's metadata with these estimates in front. */
  static final RelMetadataProvider PROVIDER = ChainedRelMetadataProvider.of(List.of(
      ReflectiveRelMetadataProvider.reflectiveSource(new RowCounts(), BuiltInMetadata.RowCount.Handler.class),
      DefaultRelMetadataProvider.INSTANCE));

  /** Row counts of joins and of the planner's sets (every other node as Calcite counts it). */
  public static final class RowCounts implements MetadataHandler<BuiltInMetadata.RowCount> {
    @Override
    public MetadataDef<BuiltInMetadata.RowCount> getDef() {
      return BuiltInMetadata.RowCount.DEF;
    }

    /** Called by Calcite's generated metadata dispatch for every join. */
    public Double getRowCount(Join join, RelMetadataQuery mq) {
      Double rows = fromDistinctCounts(join, mq);
      return rows != null ? rows : join.estimateRowCount(mq);
    }

    /**
     * Called for every filter: over an Accrete scan, the rows the index range of its pushable
     * conditions holds (counted in the index, as the scan will be once the filter is pushed into
     * it) times Calcite's guess for the rest. Join ordering runs before filters are pushed, and
     * Calcite's fixed guesses there (a quarter of the parts for {@code p_name LIKE 'forest%'},
     * really one in a hundred) made lookups from small filtered tables look dear.
     */
    public Double getRowCount(org.apache.calcite.rel.core.Filter filter, RelMetadataQuery mq) {
      RelNode input = filter.getInput();
      if (input instanceof org.apache.calcite.plan.volcano.RelSubset s) {
        input = s.getOriginal();
      } else if (input instanceof org.apache.calcite.plan.hep.HepRelVertex v) {
        input = v.getCurrentRel();
      }
      if (input instanceof AccreteTableScan scan) {
        FilterTranslator.Result r = FilterTranslator.translate(filter.getCondition(), scan.spec);
        if (!r.pushed().isEmpty()) {
          double rows = scan.spec.withConditions(r.pushed(), scan.spec.table.session.latest()).estimatedRows();
          RexNode rest = RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), r.remaining());
          return Math.max(1, rows * RelMdUtil.guessSelectivity(rest));
        }
      }
      return RelMdUtil.estimateFilteredRows(filter.getInput(), filter.getCondition(), mq);
    }

    /**
     * Called for the planner's sets of equivalent expressions: Calcite counts the best or the
     * first of them, for a filtered table the logical filter with its fixed guesses (a quarter of
     * the nations for {@code n_name = 'GERMANY'}), though the same set holds the Accrete scan the
     * filter was pushed into, which counts its rows in the index (one nation). The fewer of the two.
     */
    public Double getRowCount(org.apache.calcite.plan.volcano.RelSubset subset, RelMetadataQuery mq) {
      Double rows = mq.getRowCount(subset.getBestOrOriginal());
      RelNode original = subset.getOriginal();
      if (original != null && subset.getCluster().getPlanner() instanceof org.apache.calcite.plan.volcano.VolcanoPlanner p) {
        org.apache.calcite.plan.volcano.RelSubset scans =
            p.getSubset(original, subset.getTraitSet().replace(AccreteTableScan.CONVENTION));
        if (scans != null && scans != subset) {
          for (RelNode r : scans.getRels()) {
            if (r instanceof AccreteTableScan) {
              Double n = mq.getRowCount(r);
              if (n != null && (rows == null || n < rows)) {
                rows = n;
              }
            }
          }
        }
      }
      return rows;
    }
  }

  /**
   * A join key column traced to a table column: its distinct values, whether it is a declared
   * key, and for a declared key, the rows of its whole table (NaN when not known).
   */
  private record KeyColumn(double distinct, boolean declaredKey, double tableKeys) {
    KeyColumn(double distinct, boolean declaredKey) {
      this(distinct, declaredKey, Double.NaN);
    }

    /** True for a declared key whose input keeps at most a tenth of its table's rows. */
    boolean selectiveKey() {
      return declaredKey && distinct <= tableKeys / 10;
    }
  }

  /**
   * The join input's column {@code field} if it comes straight from an Accrete table's column:
   * distinct values are the attribute's datoms over its average datoms per value (from the
   * indexes), at most the input's rows; null when the column is computed or not an attribute's
   * value. (Calcite's own uniqueness inference walks the whole input for every estimate the join
   * ordering asks: a sixth of the planning time of eight-table joins.)
   */
  private static KeyColumn keyColumn(RelNode input, int field, RelMetadataQuery mq) {
    Double rows = mq.getRowCount(input);
    AccreteTableScan scan = null;
    RelNode rel = input;
    int f = field;
    // Down to the scan the column comes from (Calcite's column origins stop at the planner's
    // sets of equivalent expressions).
    while (rel != null && scan == null) {
      if (rel instanceof org.apache.calcite.plan.volcano.RelSubset s) {
        rel = s.stripped();
      } else if (rel instanceof org.apache.calcite.plan.hep.HepRelVertex v) {
        rel = v.getCurrentRel();
      } else if (rel instanceof AccreteTableScan a) {
        scan = a;
      } else if (rel instanceof org.apache.calcite.rel.core.Project p) {
        if (!(p.getProjects().get(f) instanceof org.apache.calcite.rex.RexInputRef ref)) {
          return null;
        }
        f = ref.getIndex();
        rel = p.getInput();
      } else if (rel instanceof org.apache.calcite.rel.core.Calc c) {
        // A filter and projection in one (what the enumerable rules make of them).
        org.apache.calcite.rex.RexProgram program = c.getProgram();
        if (!(program.expandLocalRef(program.getProjectList().get(f)) instanceof org.apache.calcite.rex.RexInputRef ref)) {
          return null;
        }
        f = ref.getIndex();
        rel = c.getInput();
      } else if (rel instanceof Join j) {
        int leftFields = j.getLeft().getRowType().getFieldCount();
        if (!j.getJoinType().projectsRight() || f < leftFields) {
          rel = j.getLeft();
        } else {
          f -= leftFields;
          rel = j.getRight();
        }
      } else if (rel instanceof org.apache.calcite.rel.core.Filter || rel instanceof org.apache.calcite.rel.core.Sort
          || rel instanceof org.apache.calcite.rel.convert.Converter) {
        rel = rel.getInput(0);
      } else {
        return null;
      }
    }
    if (scan == null || rows == null) {
      return null;
    }
    Column col = scan.spec.table.columns.get(scan.spec.projection[f]);
    io.accrete.Database db = scan.spec.table.session.latest();
    if (col.kind() == Column.Kind.ID) {
      return new KeyColumn(rows, true, scan.spec.table.rowCount(db));
    }
    if (col.kind() != Column.Kind.VALUE || col.attr() == null) {
      return null;
    }
    if (col.attr().isUnique()) {
      return new KeyColumn(rows, true, IndexStats.count(db, col.attr().id()));
    }
    java.util.Map<Long, Double> known = DISTINCT.asMap().computeIfAbsent(db, d -> new java.util.concurrent.ConcurrentHashMap<>());
    double distinct = known.computeIfAbsent(col.attr().id(),
        a -> Math.max(1, IndexStats.count(db, a) / IndexStats.rowsPerValue(db, col.attr())));
    return new KeyColumn(Math.min(distinct, rows), false);
  }

  /**
   * The distinct values of an input's column when it is an Accrete table's column (all of the
   * input's rows for a declared key), else null.
   */
  static Double distinctValues(RelNode input, int field, RelMetadataQuery mq) {
    KeyColumn key = keyColumn(input, field, mq);
    return key == null ? null : key.distinct();
  }

  /**
   * Distinct values per attribute of recent database values: the planner asks for a join's size
   * many times while it orders joins (a sample of the index each time otherwise). Keyed by the
   * value itself (weakly, by identity): an immutable value's counts never change.
   */
  private static final com.google.common.cache.Cache<io.accrete.Database, java.util.Map<Long, Double>> DISTINCT =
      com.google.common.cache.CacheBuilder.newBuilder().weakKeys().maximumSize(64).build();

  /**
   * An inner join's rows as PostgreSQL estimates them, {@code left × right / max(distinct keys)},
   * declared keys included (their distinct values are their side's rows); Calcite's estimate
   * for anything else.
   */
  static Double keyJoinRows(RelNode rel, RelMetadataQuery mq) {
    if (rel instanceof org.apache.calcite.plan.hep.HepRelVertex v) {
      rel = v.getCurrentRel();
    }
    Double rows = rel instanceof Join join ? fromDistinctCounts(join, mq, true) : null;
    return rows != null ? rows : mq.getRowCount(rel);
  }

  /** An inner equi-join's rows from its key's distinct counts, or null to keep Calcite's. */
  private static Double fromDistinctCounts(Join join, RelMetadataQuery mq) {
    return fromDistinctCounts(join, mq, false);
  }

  private static Double fromDistinctCounts(Join join, RelMetadataQuery mq, boolean declaredKeysToo) {
    JoinRelType type = join.getJoinType();
    if (join instanceof AccreteLookupJoin || type != JoinRelType.INNER) {
      // A lookup's right side is already the rows per key. Outer, semi and anti joins keep
      // Calcite's estimates: the sub-queries decorrelated into them (NOT IN, EXISTS) were planned
      // worse with these (TPC-H Q16 three times slower).
      return null;
    }
    JoinInfo info = join.analyzeCondition();
    if (info.leftKeys.size() != 1) {
      // Keys of one join are often parts of one composite key: neither one pair's selectivity
      // (four times too many rows for TPC-H's lineitem–partsupp) nor their product (too few) is
      // near; such joins keep Calcite's estimate, which the join ordering was measured with.
      return null;
    }
    RelNode left = join.getLeft();
    RelNode right = join.getRight();
    KeyColumn l = keyColumn(left, info.leftKeys.get(0), mq);
    KeyColumn r = keyColumn(right, info.rightKeys.get(0), mq);
    // A join on a declared key keeps Calcite's estimate, which the key-driven join ordering was
    // measured with — unless the key's side is filtered to a small part of its table (TPC-H
    // Q20's 43 'forest' parts of 20,000): Calcite's 15% of the product then makes partsupp's
    // 72,000 rows joined with them 461,700 rows instead of ~150, and every lookup plan above
    // looks dearer than reading whole tables.
    if (l == null || r == null) {
      return null;
    }
    boolean selective = l.selectiveKey() != r.selectiveKey() && !(l.declaredKey() && r.declaredKey());
    if (!declaredKeysToo && !selective && (l.declaredKey() || r.declaredKey())) {
      return null;
    }
    Double leftRows = mq.getRowCount(left);
    Double rightRows = mq.getRowCount(right);
    if (leftRows == null || rightRows == null) {
      return null;
    }
    double rows = leftRows * rightRows / Math.max(1, Math.max(l.distinct(), r.distinct()));
    if (!info.isEqui()) {
      rows *= RelMdUtil.guessSelectivity(RexUtil.composeConjunction(join.getCluster().getRexBuilder(),
          info.nonEquiConditions));
    }
    return Math.max(1, rows);
  }
}
