/** The designer's "Aliases" window: the workflow's aliases (AliasesPanel) in a dialog. */
import { Dialog } from "../ui/Dialog";
import { AliasesPanel, type AliasesPanelProps } from "./AliasesPanel";

export function AliasesDialog({ workflowName, onClose, ...panel }: AliasesPanelProps & { workflowName: string; onClose: () => void }) {
  return (
    <Dialog onClose={onClose} label={`Aliases of ${workflowName}`} testId="aliases-dialog" className="sy-aliases-dialog">
      <AliasesPanel {...panel} />
      <div className="sy-modal-actions">
        <button type="button" data-testid="aliases-close" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

export default AliasesDialog;
