/**
 * `collect --aws`: the account's network, fetched live, as the AWS CLI export `audit --aws` reads.
 *
 * @module
 */
export { collectAwsExport, type ExportedFile } from './collect-export.js';
export { EXPORT_CALLS, type AwsCall, type AwsPages } from './export-calls.js';
export { sdkPages, type SdkOptions } from './sdk-pages.js';
export { ImdsError, imdsInstanceId } from './instance-identity.js';
