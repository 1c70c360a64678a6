-- The same two requests as loop.sql, each as one PL/pgSQL function: one round trip per request, and plans
-- cached per session. Not how Assay runs (its rules live in Swift, once, for both databases): this measures what
-- moving the loop into PostgreSQL could at best buy.
CREATE OR REPLACE FUNCTION bench_next(q uuid, ann uuid, now_ms bigint) RETURNS TABLE (asg bigint, item bigint, content text) LANGUAGE plpgsql AS $$
DECLARE it bigint; a bigint; c text; st text;
BEGIN
  SELECT m.status INTO st FROM queue_members m WHERE m.queue_id = q AND m.annotator_id = ann;
  SELECT s.id, s.item_id INTO a, it FROM assignments s WHERE s.annotator_id = ann AND s.queue_id = q AND s.state = 'leased';
  IF a IS NOT NULL THEN RETURN QUERY SELECT a, it, i.content FROM items i WHERE i.id = it; RETURN; END IF;
  SELECT i.id INTO it FROM items i WHERE i.queue_id = q AND i.open_slots > 0
    AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.item_id = i.id AND x.annotator_id = ann)
    ORDER BY i.priority DESC, i.id LIMIT 1 FOR UPDATE SKIP LOCKED;
  UPDATE items i SET open_slots = open_slots - 1 WHERE i.id = it AND open_slots > 0 RETURNING i.content INTO c;
  INSERT INTO assignments (item_id, queue_id, annotator_id, state, leased_at_ms, expires_at_ms)
    VALUES (it, q, ann, 'leased', now_ms, now_ms + 600000) ON CONFLICT DO NOTHING RETURNING id INTO a;
  RETURN QUERY SELECT a, it, c;
END $$;
CREATE OR REPLACE FUNCTION bench_submit(q uuid, ann uuid, asg bigint, now_ms bigint, d bigint, sh bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE it bigint; j bigint; n bigint; prov text;
BEGIN
  UPDATE assignments s SET state = 'submitted' WHERE s.id = asg AND s.annotator_id = ann AND s.state = 'leased' RETURNING s.item_id INTO it;
  INSERT INTO judgments (item_id, queue_id, annotator_id, assignment_id, labels, rationale, time_spent_ms, started_at_ms,
                         submitted_at_ms, origin, client_key, guideline_version, ranking)
    VALUES (it, q, ann, asg, '["spam"]', NULL, 900, now_ms, now_ms, 'assay', NULL,
            (SELECT MAX(version) FROM guidelines g WHERE g.queue_id = q AND effective_at_ms <= now_ms), NULL) RETURNING id INTO j;
  UPDATE items i SET judgment_count = judgment_count + 1 WHERE i.id = it RETURNING judgment_count INTO n;
  INSERT INTO activity_days AS x (queue_id, day, annotator_id, judgments, time_spent_ms, gold_answered, gold_correct, qa_reviewed, qa_correct)
    VALUES (q, d, ann, 1, 900, 0, 0, 0, 0)
    ON CONFLICT (queue_id, day, annotator_id) DO UPDATE SET judgments = x.judgments + excluded.judgments, time_spent_ms = x.time_spent_ms + excluded.time_spent_ms;
  SELECT f.provenance INTO prov FROM judgments jj LEFT JOIN final_labels f ON f.item_id = jj.item_id WHERE jj.item_id = it;
  INSERT INTO final_labels AS x (item_id, queue_id, labels, provenance, confidence, judgment_count, unresolved_reason, decided_at_ms)
    VALUES (it, q, '["spam"]', 'majority', 1.0, 1, NULL, now_ms) ON CONFLICT (item_id) DO UPDATE SET labels = excluded.labels;
  INSERT INTO decision_days AS x (queue_id, day, market, shard, decided, unanimous, unresolved, units, first_resolved, sla_counted,
                                  sla_met, wait_ms, arbitrated, appeals_decided, appeals_overturned, model_decided)
    VALUES (q, d, '', sh, 1, 1, 0, 1, 1, 0, 0, 5000, 0, 0, 0, 0)
    ON CONFLICT (queue_id, day, market, shard) DO UPDATE SET decided = x.decided + excluded.decided, units = x.units + excluded.units;
  UPDATE queue_counters c SET completed_items = completed_items + 1, judgments = c.judgments + 1, resolved_items = resolved_items + 1
    WHERE c.queue_id = q AND c.shard = sh;
  RETURN j;
END $$;
