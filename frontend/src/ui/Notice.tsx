/**
 * One status line for the studio: errors, successes and information each
 * with their own colour (and an icon-free word for screen readers via role:
 * an error is an alert, the others a polite status).
 */
import type { ReactNode } from "react";
import "./ui.css";

export type NoticeKind = "error" | "success" | "info";

export interface NoticeMessage {
  kind: NoticeKind;
  text: string;
}

export const notice = {
  error: (text: string): NoticeMessage => ({ kind: "error", text }),
  success: (text: string): NoticeMessage => ({ kind: "success", text }),
  info: (text: string): NoticeMessage => ({ kind: "info", text }),
};

export interface NoticeProps {
  kind: NoticeKind;
  testId?: string;
  className?: string;
  /** The full text on hover (for a notice shown truncated). */
  title?: string;
  children: ReactNode;
}

export function Notice({ kind, testId, className, title, children }: NoticeProps) {
  return (
    <span
      className={`sy-notice sy-notice-${kind} ${className ?? ""}`}
      role={kind === "error" ? "alert" : "status"}
      data-kind={kind}
      data-testid={testId}
      title={title}
    >
      {children}
    </span>
  );
}

export default Notice;
