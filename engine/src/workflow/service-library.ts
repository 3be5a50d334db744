import { APPROVAL_SERVICES } from "./approval/approval.services";
import { assignOwnerService } from "./services/assign-owner.service";
import { classifyParetoService } from "./services/classify-pareto.service";
import { createRecordService } from "./services/create-record.service";
import { httpService } from "./services/http.service";
import { notifyService } from "./services/notify.service";
import { ownerStatementService } from "./services/owner-statement.service";
import { readRecordService } from "./services/read-record.service";
import { startForEachService } from "./services/start-for-each.service";
import { startWorkflowService } from "./services/start-workflow.service";
import { syncPushService } from "./services/sync-push.service";
import { updateRecordService } from "./services/update-record.service";
import type { WorkflowService } from "./workflow-service";

/** The services service tasks may call, by name. Anything else is refused at deploy time. */
export class ServiceLibrary {
  private readonly services = new Map<string, WorkflowService>();

  constructor(services: WorkflowService[] = BUILT_IN_SERVICES) {
    for (const s of services) this.add(s);
  }

  add(service: WorkflowService): void {
    this.services.set(service.name, service);
  }

  get(name: string): WorkflowService | undefined {
    return this.services.get(name);
  }

  names(): string[] {
    return [...this.services.keys()].sort();
  }
}

export const BUILT_IN_SERVICES: WorkflowService[] = [
  createRecordService,
  updateRecordService,
  notifyService,
  assignOwnerService,
  startWorkflowService,
  readRecordService,
  startForEachService,
  ownerStatementService,
  httpService,
  syncPushService,
  classifyParetoService,
  ...APPROVAL_SERVICES,
];
