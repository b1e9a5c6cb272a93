// AWS's JavaScript SDK v3 against a live Stateyard (driven by tests/designer/aws/test_js_sdk.py).
//
// Environment: STATEYARD_AWS_URL (the endpoint), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// SFN_MODE ("no-prefix": disableHostPrefix, or "host-name": the SDK's default, the sync-
// prefix sent to a *.localhost name) and SFN_NAME (the state machine to make).
// Names under .localhost resolve to 127.0.0.1 in this process (as systemd-resolved and
// browsers do), through the HTTP agent's lookup. Prints one JSON object: what each call
// answered and, per request, the command and the host it went to.
import http from "node:http";
import dns from "node:dns";
import {
  SFNClient,
  CreateStateMachineCommand,
  StartExecutionCommand,
  DescribeExecutionCommand,
  StartSyncExecutionCommand,
  TestStateCommand,
  DescribeStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const env = process.env;
const mode = env.SFN_MODE ?? "no-prefix";
const name = env.SFN_NAME ?? "js-five";

function lookup(hostname, options, callback) {
  const target = hostname.endsWith(".localhost") ? "127.0.0.1" : hostname;
  return dns.lookup(target, options, callback);
}

const sfn = new SFNClient({
  endpoint: env.STATEYARD_AWS_URL,
  region: "us-east-1",
  credentials: {
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
  },
  disableHostPrefix: mode === "no-prefix",
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ lookup }) }),
});

const hosts = [];
sfn.middlewareStack.add(
  (next, context) => async (args) => {
    hosts.push([context.commandName, args.request.hostname]);
    return next(args);
  },
  { step: "finalizeRequest", name: "recordHost" },
);

const FIVE = {
  StartAt: "A",
  States: Object.fromEntries(
    ["A", "B", "C", "D", "E"].map((state, index, all) => [
      state,
      {
        Type: "Pass",
        Result: index + 1,
        ResultPath: `$.${state.toLowerCase()}`,
        ...(index + 1 < all.length ? { Next: all[index + 1] } : { End: true }),
      },
    ]),
  ),
};

async function finished(executionArn) {
  for (let tries = 0; tries < 450; tries += 1) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== "RUNNING") return described;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${executionArn} still running`);
}

async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (error) {
    return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  }
}

const out = { hosts };
const role = "arn:aws:iam::123456789012:role/js";
const standard = await sfn.send(
  new CreateStateMachineCommand({ name, definition: JSON.stringify(FIVE), roleArn: role }),
);
const express = await sfn.send(
  new CreateStateMachineCommand({
    name: `${name}-express`,
    definition: JSON.stringify(FIVE),
    roleArn: role,
    type: "EXPRESS",
  }),
);
out.created = { standard: standard.stateMachineArn, express: express.stateMachineArn };
out.createdAt = standard.creationDate instanceof Date;
const started = await sfn.send(
  new StartExecutionCommand({
    stateMachineArn: standard.stateMachineArn,
    name: "js-run",
    input: JSON.stringify({ x: 0 }),
  }),
);
out.started = { executionArn: started.executionArn, startDate: started.startDate instanceof Date };
const done = await finished(started.executionArn);
out.described = { status: done.status, output: JSON.parse(done.output), name: done.name };
const sync = await sfn.send(
  new StartSyncExecutionCommand({
    stateMachineArn: express.stateMachineArn,
    input: JSON.stringify({ y: 1 }),
  }),
);
out.sync = {
  status: sync.status,
  output: JSON.parse(sync.output),
  executionArn: sync.executionArn,
  billedMemory: sync.billingDetails?.billedMemoryUsedInMB,
};
const tested = await sfn.send(
  new TestStateCommand({
    definition: JSON.stringify({
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "f", "Payload.$": "$" },
      ResultSelector: { "total.$": "$.Payload.total" },
      Next: "Ship",
    }),
    input: JSON.stringify({ id: 7 }),
    mock: { result: JSON.stringify({ Payload: { total: 42 } }) },
    inspectionLevel: "DEBUG",
  }),
);
out.tested = {
  status: tested.status,
  output: JSON.parse(tested.output),
  nextState: tested.nextState,
  afterParameters: JSON.parse(tested.inspectionData.afterParameters),
};
out.errors = {
  missing: await errorOf(
    sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${standard.stateMachineArn}-gone` })),
  ),
  again: await errorOf(
    sfn.send(
      new StartExecutionCommand({
        stateMachineArn: standard.stateMachineArn,
        name: "js-run",
        input: JSON.stringify({ x: 1 }),
      }),
    ),
  ),
};
console.log(JSON.stringify(out));
