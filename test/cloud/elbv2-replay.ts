/**
 * The Elastic Load Balancing v2 half of the local replay: its query protocol (form in, XML
 * out, element names as in the JSON, lists as `member`s, pages by `Marker`/`NextMarker`),
 * answered from the recorded `aws elbv2` files of a fixture.
 */
import type { AwsExportFile } from '../../src/parse/aws-json/index.js';

export const ELBV2_ACTIONS = new Set(['DescribeLoadBalancers', 'DescribeTargetGroups', 'DescribeListeners', 'DescribeRules', 'DescribeTargetHealth', 'elb:DescribeLoadBalancers']);
/** The Classic ELB API's version: same protocol, its own namespace and names. */
export const CLASSIC_VERSION = '2012-06-01';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return esc(String(value));
}

function listed(files: readonly AwsExportFile[], prefix: string, key: string): Record<string, unknown>[] {
  return files.filter((f) => f.name.startsWith(prefix)).flatMap((f) => (JSON.parse(f.text) as Record<string, Record<string, unknown>[]>)[key] ?? []);
}

/** `…:listener-rule/app/<lb>/<id>/<listener>/<rule>` belongs to `…:listener/app/<lb>/<id>/<listener>`. */
const listenerOf = (ruleArn: unknown) => String(ruleArn).replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '');

/** The items a call lists, under which key, and whether it has pages. */
function answer(files: readonly AwsExportFile[], action: string, form: URLSearchParams): { key: string; items: unknown[]; paged: boolean } {
  switch (action) {
    case 'elb:DescribeLoadBalancers':
      return { key: 'LoadBalancerDescriptions', items: listed(files, 'elb-describe-load-balancers', 'LoadBalancerDescriptions'), paged: true };
    case 'DescribeLoadBalancers':
      return { key: 'LoadBalancers', items: listed(files, 'describe-load-balancers', 'LoadBalancers'), paged: true };
    case 'DescribeTargetGroups':
      return { key: 'TargetGroups', items: listed(files, 'describe-target-groups', 'TargetGroups'), paged: true };
    case 'DescribeListeners':
      return { key: 'Listeners', items: listed(files, 'describe-listeners-', 'Listeners').filter((l) => l['LoadBalancerArn'] === form.get('LoadBalancerArn')), paged: true };
    case 'DescribeRules':
      return { key: 'Rules', items: listed(files, 'describe-rules-', 'Rules').filter((r) => listenerOf(r['RuleArn']) === form.get('ListenerArn')), paged: true };
    default: {
      const tg = listed(files, 'describe-target-groups', 'TargetGroups').find((t) => t['TargetGroupArn'] === form.get('TargetGroupArn'));
      return { key: 'TargetHealthDescriptions', items: tg ? listed(files, `describe-target-health-${String(tg['TargetGroupName'])}.json`, 'TargetHealthDescriptions') : [], paged: false };
    }
  }
}

export function elbv2Response(files: readonly AwsExportFile[], action: string, form: URLSearchParams, pageSize: number): string {
  const { key, items, paged } = answer(files, action, form);
  const marker = form.get('Marker');
  const start = marker ? Number(marker.replace('page-', '')) : 0;
  const page = paged ? items.slice(start, start + pageSize) : items;
  const next = paged && start + pageSize < items.length ? `<NextMarker>page-${start + pageSize}</NextMarker>` : '';
  const name = action.replace(/^elb:/, '');
  const version = action.startsWith('elb:') ? CLASSIC_VERSION : '2015-12-01';
  return `<${name}Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/${version}/"><${name}Result><${key}>${toXml(page)}</${key}>${next}</${name}Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${name}Response>`;
}

export const ELBV2_THROTTLED = '<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>0</RequestId></ErrorResponse>';
