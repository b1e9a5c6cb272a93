/**
 * Vitest setup: jsdom lacks a few browser APIs that @xyflow/react uses
 * (ResizeObserver, DOMMatrixReadOnly); provide minimal stand-ins and clean up
 * rendered trees after each test.
 */
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";

afterEach(() => {
  cleanup();
});

// A desktop-wide window (jsdom's default is 1024 px, where the designer starts with its palette folded).
Object.defineProperty(window, "innerWidth", { configurable: true, writable: true, value: 1440 });
// ...and tall (the problems dock starts open from 1000 px high).
Object.defineProperty(window, "innerHeight", { configurable: true, writable: true, value: 1080 });

class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

const g = globalThis as unknown as Record<string, unknown>;
if (!("ResizeObserver" in g)) g.ResizeObserver = ResizeObserverStub;
if (!("DOMMatrixReadOnly" in g)) {
  g.DOMMatrixReadOnly = class {
    m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([1-9.])\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  };
}
