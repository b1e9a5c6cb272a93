/**
 * The template gallery's workflows: real Step Functions patterns as ASL JSON
 * modules (one `*.asl.json` file each, so the Python tests can validate them
 * with the engine too: tests should run `engine.validate` on every
 * frontend/src/templates/*.asl.json).
 */
import apiOrchestration from "./api-orchestration.asl.json";
import retryBackoff from "./retry-backoff.asl.json";
import humanApproval from "./human-approval.asl.json";
import fanOutMap from "./fan-out-map.asl.json";
import saga from "./saga.asl.json";
import pollingLoop from "./polling-loop.asl.json";
import etlBatch from "./etl-batch.asl.json";
import jsonataTransform from "./jsonata-transform.asl.json";
import childWorkflow from "./child-workflow.asl.json";

export interface WorkflowTemplate {
  /** Stable id (the file's stem), also used in data-testid. */
  id: string;
  title: string;
  summary: string;
  /** Short tags shown on the card (features the pattern uses). */
  tags: string[];
  /** Suggested workflow name (AWS's name rule: no spaces). */
  suggestedName: string;
  definition: Record<string, unknown>;
}

export const BLANK_DEFINITION: Record<string, unknown> = {
  Comment: "A new workflow",
  StartAt: "Start",
  States: {
    Start: { Type: "Pass", End: true },
  },
};

const asDefinition = (value: unknown): Record<string, unknown> => value as Record<string, unknown>;

export const TEMPLATES: WorkflowTemplate[] = [
  {
    id: "api-orchestration",
    title: "API orchestration",
    summary: "Call three services in parallel, merge their answers, fail cleanly if one is down.",
    tags: ["Parallel", "HTTP", "Catch"],
    suggestedName: "api-orchestration",
    definition: asDefinition(apiOrchestration),
  },
  {
    id: "retry-backoff",
    title: "Retry with backoff and jitter",
    summary: "Retry a flaky call with exponential backoff, a delay cap and full jitter.",
    tags: ["Retry", "JitterStrategy", "Catch"],
    suggestedName: "retry-with-backoff",
    definition: asDefinition(retryBackoff),
  },
  {
    id: "human-approval",
    title: "Human approval (callback)",
    summary: "Send a task token to an approver and wait for the callback, with a timeout.",
    tags: [".waitForTaskToken", "Choice", "Heartbeat"],
    suggestedName: "human-approval",
    definition: asDefinition(humanApproval),
  },
  {
    id: "fan-out-map",
    title: "Fan-out with Map",
    summary: "Process every item of a list concurrently, then aggregate the results.",
    tags: ["Map", "ItemSelector", "MaxConcurrency"],
    suggestedName: "fan-out-map",
    definition: asDefinition(fanOutMap),
  },
  {
    id: "saga",
    title: "Saga with compensation",
    summary: "Book several things; when a step fails, undo the earlier ones through Catch.",
    tags: ["Catch", "Compensation", "Retry"],
    suggestedName: "trip-booking-saga",
    definition: asDefinition(saga),
  },
  {
    id: "polling-loop",
    title: "Polling loop",
    summary: "Start a long job, then wait and check its status until it finishes.",
    tags: ["Wait", "Choice", "Loop"],
    suggestedName: "job-polling",
    definition: asDefinition(pollingLoop),
  },
  {
    id: "etl-batch",
    title: "ETL batch (distributed Map)",
    summary: "Transform and load records in batches with a distributed Map and tolerated failures.",
    tags: ["Distributed Map", "ItemBatcher", "ToleratedFailure"],
    suggestedName: "etl-batch",
    definition: asDefinition(etlBatch),
  },
  {
    id: "jsonata-transform",
    title: "JSONata transformation",
    summary: "Reshape data with JSONata, keep variables with Assign and branch on a Condition.",
    tags: ["JSONata", "Assign", "Condition"],
    suggestedName: "jsonata-transform",
    definition: asDefinition(jsonataTransform),
  },
  {
    id: "child-workflow",
    title: "Child workflows",
    summary: "Start a nested state machine per item and wait for each one to finish.",
    tags: ["startExecution.sync:2", "Map"],
    suggestedName: "child-workflows",
    definition: asDefinition(childWorkflow),
  },
];

export function templateById(id: string): WorkflowTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
