/**
 * The designer's Config and Versions views, shown in place of the design
 * body (designer/DesignerPage.tsx renders this beside it). The Config view
 * stays mounted once opened, so an unsaved settings form is still there
 * after a look at the canvas; the Versions view comes back with what it
 * showed (the route remembers it) but draws no hidden graph meanwhile.
 */
import { useEffect, useState } from "react";
import type { NoticeMessage } from "../../ui/Notice";
import type { Permissions } from "../permissions";
import { ConfigView } from "./ConfigView";
import type { Settings } from "./operateApi";
import type { DesignerRoute } from "./viewRoute";
import { VersionsView } from "./VersionsView";
import "./operate.css";

export interface OperateViewsProps {
  route: DesignerRoute;
  /** What the Versions view showed last (it keeps showing it while hidden). */
  lastVersions: Extract<DesignerRoute, { view: "versions" }>;
  onRoute: (route: DesignerRoute) => void;
  workflowId: string;
  permissions: Permissions;
  /** Save unsaved definition edits first (rejects when that fails). */
  saveDraft: () => Promise<void>;
  /** Publish the draft; the new version's number, or null when refused (the page says why). */
  publish: (description: string) => Promise<number | null>;
  /** Changes after each publish from the toolbar. */
  published: number;
  onSettingsSaved: (settings: Settings) => void;
  /** Show a message in the toolbar. */
  onStatus: (message: NoticeMessage) => void;
  /** Show a state in the Design view (selected). */
  onShowState: (path: string) => void;
  /** Leave the page (a duplicate opened, the workflow deleted). */
  navigate: (url: string) => void;
  /** The team's start page (after deleting). */
  startUrl: string;
}

export function OperateViews(props: OperateViewsProps) {
  const { route, onRoute, workflowId, permissions } = props;
  const [configSeen, setConfigSeen] = useState(route.view === "config");
  useEffect(() => {
    if (route.view === "config") setConfigSeen(true);
  }, [route.view]);
  const active = route.view !== "design";
  const versions = route.view === "versions" ? route : props.lastVersions;
  return (
    <div className="sy-operate" data-testid="operate-views" hidden={!active} id="sy-view-panel" role="tabpanel" aria-labelledby={`sy-view-tab-${route.view}`}>
      {configSeen ? (
        <div className="sy-operate-panel" hidden={route.view !== "config"} data-testid="config-panel">
          <ConfigView
            workflowId={workflowId}
            canEdit={permissions.canEdit}
            editReason={permissions.editReason}
            saveDraft={props.saveDraft}
            onSaved={props.onSettingsSaved}
            onShowState={props.onShowState}
            onDuplicated={(id) => props.navigate(`/workflows/${encodeURIComponent(id)}/`)}
            onDeleted={() => props.navigate(props.startUrl)}
          />
        </div>
      ) : null}
      {route.view === "versions" ? (
        <div className="sy-operate-panel" data-testid="versions-tab-panel">
          <VersionsView
            workflowId={workflowId}
            open={versions.open}
            compare={versions.compare}
            onRoute={onRoute}
            canEdit={permissions.canEdit}
            editReason={permissions.editReason}
            publish={props.publish}
            published={props.published}
            onRestored={(message) => {
              onRoute({ view: "design" });
              props.onStatus(message);
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
