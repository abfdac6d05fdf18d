package kubernetes

import rego.v1

good_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}},
	"spec": {"template": {"spec": {
		"securityContext": {"runAsNonRoot": true},
		"containers": [{
			"name": "web",
			"image": "ghcr.io/example/web:1.4.2",
			"securityContext": {"allowPrivilegeEscalation": false},
			"resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
		}],
	}}},
}

with_container(patch) := object.union(good_deployment, {"spec": {"template": {"spec": {"containers": [object.union(good_deployment.spec.template.spec.containers[0], patch)]}}}})

test_good_deployment_passes if {
	count(deny) == 0 with input as good_deployment
}

test_digest_pinned_image_passes if {
	count(deny) == 0 with input as with_container({"image": "ghcr.io/example/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
}

test_latest_tag_denied if {
	denied := deny with input as with_container({"image": "nginx:latest"})
	some msg in denied
	contains(msg, ":latest")
}

test_untagged_image_denied if {
	denied := deny with input as with_container({"image": "nginx"})
	some msg in denied
	contains(msg, "no tag or digest")
}

test_registry_port_is_not_a_tag if {
	denied := deny with input as with_container({"image": "registry.local:5000/web"})
	some msg in denied
	contains(msg, "no tag or digest")
}

test_root_denied if {
	deployment := json.patch(good_deployment, [{"op": "remove", "path": "/spec/template/spec/securityContext/runAsNonRoot"}])
	denied := deny with input as deployment
	some msg in denied
	contains(msg, "may run as root")
}

test_privileged_denied if {
	denied := deny with input as with_container({"securityContext": {"allowPrivilegeEscalation": false, "privileged": true}})
	some msg in denied
	contains(msg, "is privileged")
}

test_missing_limits_denied if {
	deployment := json.patch(good_deployment, [{"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits/memory"}])
	denied := deny with input as deployment
	some msg in denied
	contains(msg, "no memory limit")
}

test_missing_label_denied if {
	deployment := json.patch(good_deployment, [{"op": "remove", "path": "/metadata/labels/app.kubernetes.io~1name"}])
	denied := deny with input as deployment
	some msg in denied
	contains(msg, "required label")
}

test_non_workloads_ignored if {
	count(deny) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
}
