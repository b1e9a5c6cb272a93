/** Tests for deriveGraph: nodes, lanes in order, nested containers, edge kinds and labels. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { deriveGraph } from "./derive";

describe("deriveGraph", () => {
  const graph = deriveGraph(sampleDefinition());
  const node = (id: string) => graph.nodes.find((n) => n.id === id);
  const edgesFrom = (id: string) => graph.edges.filter((e) => e.source === id);

  it("has a node per state, markers per scope, and lanes in order", () => {
    expect(node("/States/Validate")).toMatchObject({ kind: "state", type: "Task", parent: null, scope: "" });
    expect(node("#start")?.kind).toBe("start");
    expect(node("#end")?.kind).toBe("end");
    expect(node("/States/Fan")).toMatchObject({
      container: true,
      lanes: ["/States/Fan/Branches/0", "/States/Fan/Branches/1"],
    });
    expect(node("/States/Fan/Branches/1")).toMatchObject({ kind: "lane", parent: "/States/Fan", index: 1, label: "Branch 2" });
    expect(node("/States/Fan/Branches/0/States/Left")).toMatchObject({ parent: "/States/Fan/Branches/0", scope: "/States/Fan/Branches/0" });
    const lanes = graph.nodes.filter((n) => n.kind === "lane").map((n) => n.id);
    expect(lanes).toEqual([
      "/States/Fan/Branches/0",
      "/States/Fan/Branches/1",
      "/States/Each/ItemProcessor",
      "/States/Each/ItemProcessor/States/Inner/Branches/0",
    ]);
  });

  it("nests a Parallel in a Map", () => {
    const inner = "/States/Each/ItemProcessor/States/Inner";
    expect(node(inner)).toMatchObject({ container: true, parent: "/States/Each/ItemProcessor", type: "Parallel" });
    expect(node(`${inner}/Branches/0/States/Deeper`)).toMatchObject({ parent: `${inner}/Branches/0` });
    expect(graph.edges.find((e) => e.id === `e:${inner}/Branches/0/States/Deep#next`)?.target).toBe(`${inner}/Branches/0/States/Deeper`);
    expect(graph.edges.find((e) => e.id === `e:${inner}/Branches/0#start`)?.source).toBe(`${inner}/Branches/0#start`);
    // parents come before their children
    const order = graph.nodes.map((n) => n.id);
    for (const n of graph.nodes) if (n.parent) expect(order.indexOf(n.parent)).toBeLessThan(order.indexOf(n.id));
  });

  it("labels Choice, Default and Catch edges and keeps their refs", () => {
    expect(edgesFrom("/States/Route").map((e) => [e.kind, e.label, e.target])).toEqual([
      ["choice", "Rule #1", "/States/Fan"],
      ["choice", "Rule #2", "/States/Each"],
      ["default", "Default", "/States/Done"],
    ]);
    const [next, caught] = edgesFrom("/States/Validate");
    expect(next).toMatchObject({ kind: "next", label: "", ref: { kind: "next", source: "/States/Validate" } });
    expect(caught).toMatchObject({ kind: "catch", label: "States.TaskFailed, Custom", ref: { kind: "catch", index: 0 } });
    expect(edgesFrom("/States/Done")).toMatchObject([{ kind: "end", target: "#end" }]);
    expect(graph.edges.find((e) => e.kind === "start" && e.scope === "")?.target).toBe("/States/Validate");
  });

  it("leaves out lane markers when asked (a run's graph), keeping the top level's", () => {
    const bare = deriveGraph(sampleDefinition(), { laneMarkers: false });
    expect(bare.nodes.filter((n) => n.kind === "start" || n.kind === "end").map((n) => n.id)).toEqual(["#start", "#end"]);
    expect(bare.edges.filter((e) => e.scope !== "" && (e.kind === "start" || e.kind === "end"))).toEqual([]);
    expect(bare.edges.find((e) => e.id === "e:/States/Fan/Branches/0/States/Left#next")?.target).toBe("/States/Fan/Branches/0/States/LeftWait");
  });

  it("hides the inside of collapsed containers and survives broken drafts", () => {
    const folded = deriveGraph(sampleDefinition(), { collapsed: { "/States/Fan": true } });
    expect(folded.nodes.find((n) => n.id === "/States/Fan")).toMatchObject({ container: false, collapsed: true });
    expect(folded.nodes.some((n) => n.id.startsWith("/States/Fan/"))).toBe(false);
    const broken = deriveGraph({ StartAt: "X", States: { A: { Type: "Pass", Next: "Gone" }, B: null as never } });
    expect(broken.edges).toEqual([]);
    expect(broken.nodes.map((n) => n.id)).toEqual(["#start", "/States/A", "/States/B", "#end"]);
    expect(deriveGraph(null as never).nodes).toEqual([]);
  });
});
