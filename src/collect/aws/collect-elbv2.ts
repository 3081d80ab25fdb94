/**
 * The Elastic Load Balancing v2 part of the export, named as the README's `aws elbv2` loop
 * names it: the balancers and target groups, then per balancer its listeners
 * (`describe-listeners-<lb-name>.json`), per listener of an ALB its rules
 * (`describe-rules-<lb-name>-<port>.json`) and per target group its registered targets
 * (`describe-target-health-<tg-name>.json`); and the Classic balancers
 * (`elb-describe-load-balancers.json`). Names are unique per account and region.
 *
 * @module
 */
import type { ExportedFile } from './collect-export.js';
import type { AwsPages } from './export-calls.js';
import { allItems, toJson } from './export-json.js';

export async function collectElbv2(pages: AwsPages, progress: (what: string) => void): Promise<ExportedFile[]> {
  const files: ExportedFile[] = [];
  progress('elbv2 DescribeLoadBalancers');
  const balancers = await allItems(pages('DescribeLoadBalancers'), 'LoadBalancers');
  files.push({ name: 'describe-load-balancers.json', text: toJson({ LoadBalancers: balancers }) });
  progress('elbv2 DescribeTargetGroups');
  const groups = await allItems(pages('DescribeTargetGroups'), 'TargetGroups');
  files.push({ name: 'describe-target-groups.json', text: toJson({ TargetGroups: groups }) });
  for (const lb of balancers) {
    const arn = lb['LoadBalancerArn'];
    const name = lb['LoadBalancerName'];
    if (typeof arn !== 'string' || typeof name !== 'string') continue;
    progress(`elbv2 DescribeListeners ${name}`);
    const listeners = await allItems(pages('DescribeListeners', { loadBalancerArn: arn }), 'Listeners');
    files.push({ name: `describe-listeners-${name}.json`, text: toJson({ Listeners: listeners }) });
    // Rules that forward by path, host or header are an ALB's; an NLB's listener has its default action only.
    if (lb['Type'] !== 'application') continue;
    for (const l of listeners) {
      const listenerArn = l['ListenerArn'];
      if (typeof listenerArn !== 'string') continue;
      progress(`elbv2 DescribeRules ${name} ${String(l['Port'])}`);
      const rules = await allItems(pages('DescribeRules', { listenerArn }), 'Rules');
      files.push({ name: `describe-rules-${name}-${String(l['Port'])}.json`, text: toJson({ Rules: rules }) });
    }
  }
  // Classic Load Balancers (`aws elb describe-load-balancers`): listeners and instances inline.
  progress('elb DescribeLoadBalancers');
  const classic = await allItems(pages('DescribeClassicLoadBalancers'), 'LoadBalancerDescriptions');
  files.push({ name: 'elb-describe-load-balancers.json', text: toJson({ LoadBalancerDescriptions: classic }) });
  for (const tg of groups) {
    const arn = tg['TargetGroupArn'];
    const name = tg['TargetGroupName'];
    if (typeof arn !== 'string' || typeof name !== 'string') continue;
    progress(`elbv2 DescribeTargetHealth ${name}`);
    const health = await allItems(pages('DescribeTargetHealth', { targetGroupArn: arn }), 'TargetHealthDescriptions');
    files.push({ name: `describe-target-health-${name}.json`, text: toJson({ TargetHealthDescriptions: health }) });
  }
  return files;
}
