# Kubernetes workload rules. Conftest runs them in CI (secure-repo-policy.yml) against every manifest in the
# repository and every rendered Helm chart; `conftest verify` runs kubernetes_test.rego first.
package kubernetes

import rego.v1

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

required_labels := {"app.kubernetes.io/name"}

pod_spec := input.spec.template.spec if input.kind in workload_kinds

pod_spec := input.spec if input.kind == "Pod"

pod_spec := input.spec.jobTemplate.spec.template.spec if input.kind == "CronJob"

containers contains c if {
	some c in pod_spec.containers
}

containers contains c if {
	some c in pod_spec.initContainers
}

name := sprintf("%s/%s", [input.kind, input.metadata.name])

# The tag of an image reference without a digest: what follows ":" in the last path segment.
image_tag(image) := tag if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
}

deny contains msg if {
	some c in containers
	image_tag(c.image) == "latest"
	msg := sprintf("%s: container %q uses the mutable :latest tag; pin a version or, better, a digest", [name, c.name])
}

deny contains msg if {
	some c in containers
	not contains(c.image, "@")
	not image_tag(c.image)
	msg := sprintf("%s: container %q names no tag or digest, which means :latest", [name, c.name])
}

run_as_non_root(c) if c.securityContext.runAsNonRoot == true

run_as_non_root(c) if {
	pod_spec.securityContext.runAsNonRoot == true
	not c.securityContext.runAsNonRoot == false
}

deny contains msg if {
	some c in containers
	not run_as_non_root(c)
	msg := sprintf("%s: container %q may run as root; set securityContext.runAsNonRoot: true", [name, c.name])
}

deny contains msg if {
	some c in containers
	c.securityContext.privileged == true
	msg := sprintf("%s: container %q is privileged", [name, c.name])
}

deny contains msg if {
	some c in containers
	not c.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("%s: container %q may gain privileges; set securityContext.allowPrivilegeEscalation: false", [name, c.name])
}

deny contains msg if {
	pod_spec.hostNetwork == true
	msg := sprintf("%s: uses the host network", [name])
}

deny contains msg if {
	some c in pod_spec.containers
	not c.resources.limits.cpu
	msg := sprintf("%s: container %q has no cpu limit", [name, c.name])
}

deny contains msg if {
	some c in pod_spec.containers
	not c.resources.limits.memory
	msg := sprintf("%s: container %q has no memory limit", [name, c.name])
}

deny contains msg if {
	pod_spec
	some label in required_labels
	not input.metadata.labels[label]
	msg := sprintf("%s: missing the required label %q", [name, label])
}
