/**
 * The page's Content-Security-Policy nonce for style elements.
 *
 * The server's policy allows no inline style except elements carrying the
 * per-response nonce, which `base.html` puts in `<meta name="csp-nonce">`.
 * CodeMirror writes its styles into a `<style>` element, so the code view
 * hands it this nonce (`EditorView.cspNonce`).
 */
export function cspNonce(doc: Document = document): string | undefined {
  const value = doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  return value ? value : undefined;
}
