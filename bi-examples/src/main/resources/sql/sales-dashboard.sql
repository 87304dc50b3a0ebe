-- A sales dashboard over the TPC-H-based data set (orders, lineitem, customer, nation, region).

-- name: revenue per region and year
SELECT r.r_name AS region, EXTRACT(YEAR FROM o.o_orderdate) AS order_year,
       sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue
FROM lineitem l
JOIN orders o ON o.o_orderkey = l.l_orderkey
JOIN customer c ON c.c_custkey = o.o_custkey
JOIN nation n ON n.n_nationkey = c.c_nationkey
JOIN region r ON r.r_regionkey = n.n_regionkey
GROUP BY r.r_name, EXTRACT(YEAR FROM o.o_orderdate)
ORDER BY region, order_year;

-- name: top customers
SELECT c.c_name, sum(o.o_totalprice) AS spent, count(*) AS orders
FROM orders o JOIN customer c ON c.c_custkey = o.o_custkey
GROUP BY c.c_name
ORDER BY spent DESC
LIMIT 10;

-- name: orders by priority
SELECT o_orderpriority, count(*) AS orders, avg(o_totalprice) AS average
FROM orders
GROUP BY o_orderpriority
ORDER BY o_orderpriority;

-- name: late lines by ship mode
SELECT l_shipmode, count(*) AS late
FROM lineitem
WHERE l_receiptdate > l_commitdate
GROUP BY l_shipmode
ORDER BY late DESC;
