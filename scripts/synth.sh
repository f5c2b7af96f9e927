#!/bin/sh
# The CloudFormation template (cdk.out/Aanspreekpunt.template.json), offline and deterministic:
# - no CDK notices, telemetry or version check (cdk.json `notices: false`, context `cli-telemetry: false`,
#   and the two variables below);
# - no AWS credentials, so the CLI does not ask STS for a default account (the stack is environment-
#   agnostic and needs none); no instance-metadata probe either;
# - a fresh cdk.out, so no asset of an earlier synth lingers.
set -eu
cd "$(dirname "$0")/.."
rm -rf cdk.out
exec env \
  -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
  -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI -u AWS_CONTAINER_CREDENTIALS_FULL_URI -u AWS_WEB_IDENTITY_TOKEN_FILE \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  CDK_DISABLE_VERSION_CHECK=1 CDK_DISABLE_CLI_TELEMETRY=1 \
  cdk synth --quiet "$@"
