import type { ScenarioResult } from '../../results/model.js';
import { escapeHtml } from './escape-html.js';
import { energyKwh, renderPowerChart } from './power-chart.js';

/** Power, limit and status over each scenario's session: one figure per scenario and connector. */
export function chartSection(scenarios: readonly ScenarioResult[]): string {
  const figures: string[] = [];
  for (const s of scenarios) {
    const connectors = [...new Set(s.timeline.map((p) => p.connectorId))].sort((a, b) => a - b);
    for (const connectorId of connectors) {
      const points = s.timeline.filter((p) => p.connectorId === connectorId);
      // Nothing to draw (no power, no limit, never out of Available): an empty chart only looks broken.
      if (points.every((p) => p.powerW === 0 && p.limitW === undefined && p.status === 'Available')) continue;
      const title = `${s.name} — connector ${connectorId}`;
      const energy = energyKwh(points);
      figures.push(
        [
          '<figure class="chart">',
          `<figcaption>${escapeHtml(s.name)}<span class="sub">charger ${escapeHtml(s.chargePointId)} · connector ${connectorId} · ≈ ${energy.toFixed(2)} kWh from the power samples</span></figcaption>`,
          renderPowerChart({ points, origin: s.clockStart, end: s.clockEnd, title }),
          '</figure>',
        ].join('\n'),
      );
    }
  }
  if (figures.length === 0) return '';
  return [
    '<section id="charts">',
    '<h2>Power, limit and status</h2>',
    '<p class="note">Import power (line), the charging limit in force (dashed step line) and the connector status (background bands) over clock time since the scenario started.</p>',
    ...figures,
    '</section>',
  ].join('\n');
}
