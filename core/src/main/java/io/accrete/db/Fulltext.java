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
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The full-text index of one {@code :db/fulltext} attribute in one database value: every value
 * the value holds, tokenized as Datomic's does (Lucene's standard tokenizer, lower case, the
 * classic English stop words dropped, no stemming), searched with Lucene's query syntax. It is
 * built from the database's own datoms, so {@code asOf}, {@code since} and filters apply to it
 * as to every other read, and it lives as long as the database value that made it.
 */
public final class Fulltext {
  /** Lucene's classic English stop words, which Datomic's analyzer drops. */
  private static final CharArraySet STOP_WORDS = new CharArraySet(Arrays.asList("a", "an", "and", "are", "as",
      "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or", "such", "that",
      "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with"), false);
  private static final Analyzer ANALYZER = new StandardAnalyzer(STOP_WORDS);
  private static final String VALUE = "v";
  private static final String ORDINAL = "o";

  private final String ident;
  private final IndexSearcher searcher;
  private final long[] entities;
  private final String[] values;
  private final long[] txs;

  private Fulltext(String ident, IndexSearcher searcher, long[] entities, String[] values, long[] txs) {
    this.ident = ident;
    this.searcher = searcher;
    this.entities = entities;
    this.values = values;
    this.txs = txs;
  }

  /** Indexes every value of {@code attribute} in {@code db}. */
  static Fulltext build(Db db, Attribute attribute) {
    List<Datom> datoms = new ArrayList<>();
    for (Datom d : db.datoms(Keyword.intern(":aevt"), attribute.id())) {
      if (d.added() && d.v() instanceof String) {
        datoms.add(d);
      }
    }
    long[] es = new long[datoms.size()];
    String[] vs = new String[datoms.size()];
    long[] ts = new long[datoms.size()];
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(ANALYZER).setRAMBufferSizeMB(64))) {
      for (int i = 0; i < es.length; i++) {
        Datom d = datoms.get(i);
        es[i] = d.e();
        vs[i] = (String) d.v();
        ts[i] = d.tx();
        Document doc = new Document();
        doc.add(new TextField(VALUE, vs[i], Field.Store.NO));
        doc.add(new StoredField(ORDINAL, i));
        w.addDocument(doc);
      }
      w.commit();
      return new Fulltext(attribute.ident().toString(), new IndexSearcher(DirectoryReader.open(dir)), es, vs, ts);
    } catch (IOException e) {
      throw new UncheckedIOException("Building the full-text index of " + attribute.ident() + " failed", e);
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
    try {
      TopDocs top = searcher.search(q, Math.max(1, entities.length));
      List<List<Object>> out = new ArrayList<>(top.scoreDocs.length);
      var stored = searcher.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        int i = stored.document(sd.doc).getField(ORDINAL).numericValue().intValue();
        out.add(Arrays.asList(entities[i], values[i], txs[i], (double) sd.score));
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
