-- A movies dashboard: what a BI tool's tiles would ask. Run with any jdbc:accrete: URL.

-- name: movies per decade
SELECT ("year" / 10) * 10 AS decade, count(*) AS movies
FROM movie
WHERE "year" IS NOT NULL
GROUP BY ("year" / 10) * 10
ORDER BY decade;

-- name: busiest actors
SELECT p.name, count(*) AS movies
FROM movie_x_cast c JOIN person p ON p.db__id = c."cast"
GROUP BY p.name
ORDER BY movies DESC, p.name
LIMIT 10;

-- name: directors and their films
SELECT p.name AS director, count(*) AS films, min(m."year") AS first, max(m."year") AS last
FROM movie_x_director d
JOIN person p ON p.db__id = d.director
JOIN movie m ON m.db__id = d.movie
GROUP BY p.name
ORDER BY films DESC, director;

-- name: sequels
SELECT m.title, s.title AS sequel
FROM movie m JOIN movie s ON s.db__id = m.sequel
ORDER BY m.title;

-- name: actors who also directed
SELECT DISTINCT p.name
FROM person p
JOIN movie_x_cast c ON c."cast" = p.db__id
JOIN movie_x_director d ON d.director = p.db__id
ORDER BY p.name;
