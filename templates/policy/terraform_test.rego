package terraform

import rego.v1

private_bucket := {"resource": {
	"aws_s3_bucket": {"data": [{"bucket": "example-data"}]},
	"aws_s3_bucket_public_access_block": {"data": [{
		"bucket": "${aws_s3_bucket.data.id}",
		"block_public_acls": true,
		"block_public_policy": true,
		"ignore_public_acls": true,
		"restrict_public_buckets": true,
	}]},
	"aws_s3_bucket_server_side_encryption_configuration": {"data": [{"bucket": "${aws_s3_bucket.data.id}"}]},
}}

test_private_encrypted_bucket_passes if {
	count(deny) == 0 with input as private_bucket
}

test_combined_files_pass if {
	files := [
		{"path": "main.tf", "contents": {"resource": {"aws_s3_bucket": private_bucket.resource.aws_s3_bucket}}},
		{"path": "security.tf", "contents": {"resource": object.remove(private_bucket.resource, ["aws_s3_bucket"])}},
	]
	count(deny) == 0 with input as files
}

test_public_acl_denied if {
	bucket := json.patch(private_bucket, [{"op": "add", "path": "/resource/aws_s3_bucket/data/0/acl", "value": "public-read"}])
	denied := deny with input as bucket
	some msg in denied
	contains(msg, "readable by others")
}

test_missing_public_access_block_denied if {
	denied := deny with input as {"resource": object.remove(private_bucket.resource, ["aws_s3_bucket_public_access_block"])}
	some msg in denied
	contains(msg, "blocks public access")
}

test_weak_public_access_block_denied if {
	bucket := json.patch(private_bucket, [{"op": "replace", "path": "/resource/aws_s3_bucket_public_access_block/data/0/restrict_public_buckets", "value": false}])
	denied := deny with input as bucket
	some msg in denied
	endswith(msg, "restrict_public_buckets must be true")
}

test_unencrypted_bucket_denied if {
	denied := deny with input as {"resource": object.remove(private_bucket.resource, ["aws_s3_bucket_server_side_encryption_configuration"])}
	some msg in denied
	contains(msg, "no server-side encryption")
}

test_unencrypted_database_denied if {
	denied := deny with input as {"resource": {"aws_db_instance": {"db": [{"engine": "postgres"}]}}}
	some msg in denied
	contains(msg, "storage_encrypted")
}

test_encrypted_volume_passes if {
	count(deny) == 0 with input as {"resource": {"aws_ebs_volume": {"v": [{"size": 10, "encrypted": true}]}}}
}
