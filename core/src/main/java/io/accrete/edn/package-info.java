/**
 * EDN (<a href="https://github.com/edn-format/edn">extensible data notation</a>): reading
 * text into Java values and printing values back.
 *
 * <p>Values map to Java types as follows: {@code nil} is null; booleans are {@link
 * java.lang.Boolean}; strings {@link java.lang.String}; characters {@link java.lang.Character};
 * integers {@link java.lang.Long}, or {@link java.math.BigInteger} when they overflow or carry
 * the {@code N} suffix; floats {@link java.lang.Double}, or {@link java.math.BigDecimal} with
 * the {@code M} suffix; keywords {@link io.accrete.Keyword}; symbols {@link io.accrete.Symbol};
 * lists {@link io.accrete.edn.EdnList}; vectors other immutable {@link java.util.List}s; maps
 * and sets unmodifiable {@link java.util.Map}s and {@link java.util.Set}s in read order;
 * {@code #inst} {@link java.util.Date}; {@code #uuid} {@link java.util.UUID}; {@code #uri}
 * {@link java.net.URI}; {@code #bytes} {@code byte[]}; other tags {@link
 * io.accrete.edn.TaggedValue} unless a tag reader is given.
 *
 * <p>{@link io.accrete.edn.Edn} is the entry point.
 */
package io.accrete.edn;
