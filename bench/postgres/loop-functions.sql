-- loop.sql's two requests through functions.sql: two round trips per loop instead of seventeen.
\set shard random(0, 15)
SELECT id AS ann FROM bench_annotators WHERE n = :client_id % 16 \gset
SELECT asg, item FROM bench_next(:q, :ann, :now) \gset
SELECT bench_submit(:q, :ann, :asg, :now, :day, :shard);
