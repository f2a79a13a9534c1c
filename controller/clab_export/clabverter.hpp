// What clabernetes' converter, clabverter, makes of an exported topology, so the export can
// be checked against it without Kubernetes. Read from srl-labs/clabernetes (commit
// 1cc0cbe0, June 2026): clabverter/files.go, clabverter/clabverter.go,
// util/kubernetes/names.go, controllers/topology/definitioncontainerlab.go and
// deployment.go, docs/guides/file-mounting.md, and containerlab's
// docs/manual/clabernetes/. In short:
// - clabverter reads the binds of `topology.defaults` and of each node (not of kinds or
//   groups), splits each at ':' into source and destination, resolves a relative source
//   against the topology file's directory and puts the file's content into a ConfigMap
//   `NAME-NODE-files` under the key SafeConcatNameKubernetes(source split at '/'); the
//   launcher pod mounts it at /clabernetes/SOURCE, where containerlab finds it again. The
//   documented clabverter runs in a container that sees only the current directory, so a
//   source must be a file inside the export directory, given relatively.
// - A directory bind is expanded to its files with the wrong destinations (each file's
//   path relative to the topology, appended to the directory's destination): the export
//   binds files only.
// - A file over 950,000 bytes cannot go into a ConfigMap.
// - Each pod mounts the ConfigMap's keys as volumes named
//   EnforceDNSLabelConvention(SafeConcatNameKubernetes(CONFIGMAP, KEY)): they must differ.
// - The controller reads links as `endpoints: ["a:x", "b:y"]` strings split at ':'
//   (LinkConfig.Endpoints []string): the extended link form does not load, an endpoint
//   must have one ':', and a link's ipv4 is dropped; a link between two pods becomes a
//   VXLAN tunnel to the launcher's host interface NODE-INTERFACE.
// - Names become Kubernetes names: the namespace c9s-NAME, the ConfigMaps, and a
//   Deployment and Service per node; Services need RFC 1035 labels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace blastlab::clab_export {

struct Export;

namespace clabverter {

// Kubernetes' limit on a name (a label).
inline constexpr size_t kNameMaxLength = 63;
// The largest file clabverter puts into a ConfigMap.
inline constexpr size_t kMaxConfigMapFile = 950'000;
// Linux's limit on an interface name, which the launcher's host-side interface
// (NODE-INTERFACE) must meet.
inline constexpr size_t kMaxIfnameLength = 15;

// An RFC 1035 label: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63 characters.
bool is_dns_label(std::string_view name);

// SafeConcatNameKubernetes: the parts joined with '-'. A result over 63 characters is cut
// and given a hash by clabverter; here it is kept whole, prefixed with '#', so that two
// different long names stay different (as the hash keeps them) without computing it.
std::string safe_concat(const std::vector<std::string>& parts);
// EnforceDNSLabelConvention: lower case, other characters '-', a first character that is
// not a letter and a last one that is not a letter replaced by 'z'.
std::string enforce_dns_label(std::string name);

std::string configmap_name(const std::string& lab, const std::string& node);
// The key of a bind's source file in its node's ConfigMap.
std::string configmap_key(const std::string& source);
std::string volume_name(const std::string& configmap, const std::string& key);

// Everything in the export that clabverter or clabernetes would refuse or get wrong, one
// sentence each; empty when the export converts as it is.
std::vector<std::string> check(const Export& exported);

}  // namespace clabverter
}  // namespace blastlab::clab_export
