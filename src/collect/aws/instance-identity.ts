/**
 * `collect --imds`: the EC2 instance id of this machine, from the instance metadata service
 * (IMDSv2 session token first, as the AWS SDK does it), so `audit --aws` joins the snapshot
 * with its instance by id rather than by private address. Asked only on request; the
 * endpoint follows the SDK's settings (`AWS_EC2_METADATA_SERVICE_ENDPOINT`,
 * `ec2_metadata_service_endpoint` in the shared config), which is how tests point it at a
 * local server instead of 169.254.169.254.
 *
 * @module
 */
import { MetadataService } from '@aws-sdk/ec2-metadata-service';

/** EC2 instance ids: "i-" and 8 or 17 hex digits. */
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export class ImdsError extends Error {}

export async function imdsInstanceId(): Promise<string> {
  // One retry and a short timeout: off EC2 nothing answers, and the user asked for this only.
  const imds = new MetadataService({ httpOptions: { timeout: 2000 }, retries: 1 });
  let id: string;
  try {
    id = (await imds.request('/latest/meta-data/instance-id', {})).trim();
  } catch (err) {
    throw new ImdsError(`the instance metadata service did not answer (${(err as Error).message ?? String(err)}): is this an EC2 instance, with the metadata service enabled?`);
  }
  if (!INSTANCE_ID.test(id)) throw new ImdsError(`the instance metadata service answered "${id.slice(0, 40)}" where an instance id (i-…) was expected`);
  return id;
}
