/**
 * Vite build for the Stateyard studio: the entry (src/main.tsx) and the boot
 * script of the graph pages (src/boot.ts, which starts the layout worker first),
 * built into ../static/dist with a manifest that Django's {% vite_assets %} tag reads.
 */
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/static/dist/",
  build: {
    outDir: "../static/dist",
    emptyOutDir: true,
    manifest: true,
    // no source maps in the shipped bundle: nothing to collect, nothing public
    sourcemap: false,
    rollupOptions: {
      input: ["src/main.tsx", "src/boot.ts"],
    },
  },
  worker: {
    format: "es",
  },
});
