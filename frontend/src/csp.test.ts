import { afterEach, describe, expect, it } from "vitest";
import { cspNonce } from "./csp";

describe("cspNonce", () => {
  afterEach(() => {
    document.head.querySelectorAll('meta[name="csp-nonce"]').forEach((m) => m.remove());
  });

  it("reads the nonce the server put in the page", () => {
    const meta = document.createElement("meta");
    meta.name = "csp-nonce";
    meta.content = "abc123";
    document.head.append(meta);
    expect(cspNonce()).toBe("abc123");
  });

  it("is undefined without the meta tag or with an empty one", () => {
    expect(cspNonce()).toBeUndefined();
    const meta = document.createElement("meta");
    meta.name = "csp-nonce";
    meta.content = "";
    document.head.append(meta);
    expect(cspNonce()).toBeUndefined();
  });
});
