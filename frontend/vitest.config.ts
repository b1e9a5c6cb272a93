/** Vitest configuration: jsdom, tests beside the code (src/**\/*.test.ts(x)). */
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    css: false,
    // ELK layouts run in the test process; on a loaded 2-core CI machine 5 s is too tight
    testTimeout: 20_000,
  },
});
