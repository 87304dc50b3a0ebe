-- The audit story: a stock count entered as 7 at 09:00, corrected to 100 at 13:00.
-- Transactions carry :audit/user; timestamps are UTC.

-- name: what we believed at 11:00
SELECT sku, "count"
FROM inv FOR SYSTEM_TIME AS OF TIMESTAMP '2026-05-01 11:00:00'
WHERE sku = 'W-1';

-- name: what we believe now
SELECT sku, "count" FROM inv WHERE sku = 'W-1';

-- name: who changed it, and when
SELECT h."value", h.added, a."user", t.tx_instant
FROM inv__history h
JOIN audit a ON a.db__id = h.tx
JOIN transactions t ON t.tx = h.tx
WHERE h.attribute = ':inv/count'
ORDER BY t.tx_instant, h.added;

-- name: then and now side by side
SELECT n.sku, o."count" AS at_eleven, n."count" AS now
FROM inv n
JOIN inv FOR SYSTEM_TIME AS OF TIMESTAMP '2026-05-01 11:00:00' AS o ON o.db__id = n.db__id;
