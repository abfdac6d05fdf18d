# Terraform rules for storage: no public buckets, encryption at rest. Conftest runs them in CI with
# `--parser hcl2 --combine`, so a bucket and its settings may live in different files of the same configuration.
package terraform

import rego.v1

# The parsed files: with --combine, a list of {path, contents}; a single parsed file otherwise.
docs := [f.contents | some f in input] if is_array(input)

docs := [input] if is_object(input)

as_list(x) := x if is_array(x)

as_list(x) := [x] if is_object(x)

# Every resource block of a type as {"name", "body"} objects.
resources(type) := [{"name": name, "body": body} |
	some doc in docs
	some name, blocks in doc.resource[type]
	some body in as_list(blocks)
]

public_acls := {"public-read", "public-read-write", "authenticated-read"}

deny contains msg if {
	some type in ["aws_s3_bucket", "aws_s3_bucket_acl"]
	some r in resources(type)
	name := r.name
	body := r.body
	body.acl in public_acls
	msg := sprintf("%s.%s: ACL %q makes the bucket readable by others", [type, name, body.acl])
}

block_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains msg if {
	some r in resources("aws_s3_bucket_public_access_block")
	name := r.name
	body := r.body
	some flag in block_flags
	not body[flag] == true
	msg := sprintf("aws_s3_bucket_public_access_block.%s: %s must be true", [name, flag])
}

deny contains msg if {
	some r in resources("aws_s3_bucket")
	name := r.name
	count(resources("aws_s3_bucket_public_access_block")) == 0
	msg := sprintf("aws_s3_bucket.%s: no aws_s3_bucket_public_access_block blocks public access", [name])
}

deny contains msg if {
	some r in resources("aws_s3_bucket")
	name := r.name
	body := r.body
	not body.server_side_encryption_configuration
	count(resources("aws_s3_bucket_server_side_encryption_configuration")) == 0
	msg := sprintf("aws_s3_bucket.%s: no server-side encryption configuration", [name])
}

deny contains msg if {
	some r in resources("aws_db_instance")
	name := r.name
	body := r.body
	not body.storage_encrypted == true
	msg := sprintf("aws_db_instance.%s: storage_encrypted must be true", [name])
}

deny contains msg if {
	some r in resources("aws_ebs_volume")
	name := r.name
	body := r.body
	not body.encrypted == true
	msg := sprintf("aws_ebs_volume.%s: encrypted must be true", [name])
}
