/** Run statuses of §2. */
export const WORKFLOW_STATUSES = ["pending", "running", "completed", "failed"] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];
