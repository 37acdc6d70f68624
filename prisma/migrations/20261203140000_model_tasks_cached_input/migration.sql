-- Each model's task (the router serves chat only for conversational models), and the cached
-- input price some providers list beside input and output.
ALTER TABLE "models" ADD COLUMN "task" TEXT NOT NULL DEFAULT 'conversational';
ALTER TABLE "models" ADD CONSTRAINT "models_task_check" CHECK ("task" IN (
  'conversational', 'text-to-image', 'feature-extraction', 'text-classification',
  'sentence-similarity', 'text-ranking', 'automatic-speech-recognition'));
ALTER TABLE "prices" ADD COLUMN "cached_input_nano_per_million" BIGINT;
