-- No shipped pay plan scores people, so give P101 the scorecard a sales-scorecard run
-- would store: A before the forced distribution, B after it.  Test fixture only.
UPDATE run_results
SET result = json_set(result, '$.score', json('{"kpi":"92.00","qualitative":"80.00","final":"88.40","grade":"B","grade_before_calibration":"A"}'))
WHERE person_id = 'P101';
