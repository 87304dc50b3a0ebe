package io.accrete.db;

import io.accrete.AccreteException;
import io.accrete.Attribute;
import io.accrete.Datom;
import io.accrete.Keyword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import io.accrete.index.DatomCursor;
import io.accrete.index.FulltextSegment;
import io.accrete.index.IndexOrder;
import io.accrete.index.SortedIndex;
import io.accrete.index.Values;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;

/**
 * The full-text index of one {@code :db/fulltext} attribute in one database value: every value
 * the value holds, tokenized as Datomic's does (Lucene's standard tokenizer, lower case, the
 * classic English stop words dropped, no stemming), searched with Lucene's query syntax. A value
 * of the present over stored trees searches the index stored with them ({@link #write}, built by
 * indexing) and a small one over its novelty, keeping of the stored hits those still current;
 * any other value ({@code asOf}, {@code since}, filters, no stored index) indexes its own datoms
 * at its first search. Either way it lives as long as the database value that made it.
 */
public final class Fulltext {
  /** Lucene's classic English stop words, which Datomic's analyzer drops. */
  private static final CharArraySet STOP_WORDS = new CharArraySet(Arrays.asList("a", "an", "and", "are", "as",
      "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that",
      "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with"), false);
  private static final Analyzer ANALYZER = new StandardAnalyzer(STOP_WORDS);
  private static final String VALUE = "v";
  private static final String ENTITY = "e";
  private static final String TX = "t";
  private static final String STORED_VALUE = "s";

  private final String ident;
  private final IndexSearcher searcher;
  private final int docs;
  /** The stored index of the durable trees beneath this one's novelty, or null. */
  private final Fulltext beneath;
  /** Where the stored index's hits are checked to be still current (with {@link #beneath}). */
  private final SortedIndex current;
  private final long attr;

  private Fulltext(String ident, IndexSearcher searcher, int docs, Fulltext beneath, SortedIndex current, long attr) {
    this.ident = ident;
    this.searcher = searcher;
    this.docs = docs;
    this.beneath = beneath;
    this.current = current;
    this.attr = attr;
  }

  /** Indexes every value of {@code attribute} in {@code db}. */
  static Fulltext build(Db db, Attribute attribute) {
    List<Datom> datoms = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.intern(":aevt"), attribute.id())) {
      if (d.added() && d.v() instanceof String) {
        datoms.add(d);
      }
    }
    return open(attribute.ident().toString(), index(datoms), datoms.size(), null, null, 0);
  }

  /**
   * The index of a present value over stored trees: {@code stored} (the trees' current values)
   * beneath an index of the value's novelty.
   */
  static Fulltext over(Db db, Attribute attribute, FulltextSegment stored) {
    String ident = attribute.ident().toString();
    Fulltext beneath = stored.decoded(bytes -> read(bytes, ident));
    List<Datom> added = new ArrayList<>();
    SortedIndex aevt = db.indexes().get(IndexOrder.AEVT);
    DatomCursor c = aevt.noveltyCurrent(Keys.lo(Long.MIN_VALUE, attribute.id(), Values.MIN),
        Keys.hi(Long.MAX_VALUE, attribute.id(), Values.MAX));
    while (c.next()) {
      if (c.added() && c.v() instanceof String) {
        added.add(c.datom());
      }
    }
    return open(ident, index(added), added.size(), beneath, db.indexes().get(IndexOrder.EAVT), attribute.id());
  }

  /** The stored form of an index of {@code datoms} (an attribute's current values): Lucene's files. */
  public static byte[] write(List<Datom> datoms) {
    ByteBuffersDirectory dir = index(datoms);
    try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
         java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      String[] files = dir.listAll();
      out.writeInt(files.length);
      for (String f : files) {
        try (IndexInput in = dir.openInput(f, IOContext.READONCE)) {
          byte[] b = new byte[(int) in.length()];
          in.readBytes(b, 0, b.length);
          out.writeUTF(f);
          out.writeInt(b.length);
          out.write(b);
        }
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a full-text index failed", e);
    }
  }

  /** An index read back from {@link #write}'s bytes. */
  static Fulltext read(byte[] stored, String ident) {
    ByteBuffersDirectory dir = directory(stored);
    try (DirectoryReader r = DirectoryReader.open(dir)) {
      return open(ident, dir, r.numDocs(), null, null, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the stored full-text index of " + ident + " failed", e);
    }
  }

  /** The datoms (of attribute {@code attr}) a stored index holds: for verification. */
  public static List<Datom> datoms(byte[] stored, long attr) {
    try (DirectoryReader r = DirectoryReader.open(directory(stored))) {
      List<Datom> out = new ArrayList<>();
      var fields = r.storedFields();
      for (int i = 0; i < r.maxDoc(); i++) {
        Document d = fields.document(i);
        out.add(new Datom(d.getField(ENTITY).numericValue().longValue(), attr, d.get(STORED_VALUE),
            d.getField(TX).numericValue().longValue(), true));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading a stored full-text index failed", e);
    }
  }

  private static ByteBuffersDirectory directory(byte[] stored) {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(stored))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
          out.writeBytes(b, b.length);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("A stored full-text index is damaged", e);
    }
  }

  private static ByteBuffersDirectory index(List<Datom> datoms) {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ANALYZER).setRAMBufferSizeMB(64))) {
      for (Datom d : datoms) {
        Document doc = new Document();
        doc.add(new TextField(VALUE, (String) d.v(), Field.Store.NO));
        doc.add(new StoredField(STORED_VALUE, (String) d.v()));
        doc.add(new StoredField(ENTITY, d.e()));
        doc.add(new StoredField(TX, d.tx()));
        w.addDocument(doc);
      }
      w.commit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Building a full-text index failed", e);
    }
  }

  private static Fulltext open(String ident, ByteBuffersDirectory dir, int docs, Fulltext beneath,
      SortedIndex current, long attr) {
    try {
      return new Fulltext(ident, new IndexSearcher(DirectoryReader.open(dir)), docs, beneath, current, attr);
    } catch (IOException e) {
      throw new UncheckedIOException("Opening the full-text index of " + ident + " failed", e);
    }
  }

  /**
   * The datoms whose value matches {@code query} (Lucene's query syntax), each as
   * {@code [entity value tx score]}, best match first.
   */
  public List<List<Object>> search(String query) {
    Query q;
    try {
      q = new QueryParser(VALUE, ANALYZER).parse(query);
    } catch (ParseException | RuntimeException e) {
      throw new AccreteException(Keyword.of("db.error", "invalid-fulltext-query"), "Invalid full-text query "
          + Errors.show(query) + " for " + ident + ": " + firstLine(e.getMessage()), e);
    }
    List<List<Object>> out = hits(q);
    if (beneath != null) {
      for (List<Object> hit : beneath.hits(q)) {
        Datom now = current.findCurrent(new Datom((Long) hit.get(0), attr, hit.get(1), 0, true));
        if (now != null && now.tx() == (Long) hit.get(2)) { // not retracted (or re-asserted) since
          out.add(hit);
        }
      }
      out.sort((x, y) -> Double.compare((Double) y.get(3), (Double) x.get(3)));
    }
    return out;
  }

  private List<List<Object>> hits(Query q) {
    try {
      TopDocs top = searcher.search(q, Math.max(1, docs));
      List<List<Object>> out = new ArrayList<>(top.scoreDocs.length);
      var stored = searcher.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        Document d = stored.document(sd.doc);
        out.add(Arrays.asList(d.getField(ENTITY).numericValue().longValue(), d.get(STORED_VALUE),
            d.getField(TX).numericValue().longValue(), (double) sd.score));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Searching the full-text index of " + ident + " failed", e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unparseable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
