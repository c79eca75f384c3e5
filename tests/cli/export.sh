#!/bin/sh
# export.sh - seclog export: the SPO SeccompProfile (YAML) is read back by a
# real YAML parser (PyYAML) and validated against the v1beta1 schema of
# SPO's own CRD (tests/fixtures/spo-seccompprofile-crd.yaml, checked as the
# API server checks a custom resource: tests/helper-crd.c); the OCI block
# is the profile less Docker's keys; archMap and includes/excludes are
# resolved as Docker does on the real Docker default profile; what the
# formats cannot hold is refused; twins are refused unless told.
. "$TESTLIB"
real_profiles_maybe
docker=$real_docker

python3 -c 'import yaml' 2>/dev/null ||
	skip "python3-yaml is missing (scripts/deps --test installs it): the YAML is checked with a real parser"
# yaml2json IN OUT: what a YAML reader makes of IN
yaml2json() { python3 -c 'import yaml, json, sys; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <"$1" >"$2"; }
yaml2json "$FIXTURES/spo-seccompprofile-crd.yaml" "$T/crd.json"
jq '.spec.versions[] | select(.name == "v1beta1") | .schema.openAPIV3Schema' "$T/crd.json" >"$T/schema.json"
check "SPO's CRD serves v1beta1" jqok '.properties.spec.properties.syscalls' "$T/schema.json"
# valid YAML: parsed, then checked against the schema
valid() { yaml2json "$1" "$1.json" && "$HELPERS/helper-crd" "$T/schema.json" "$1.json"; }

check "a profile is needed" status 2 "$SECLOG" export
check "the usage is shown" has "usage: seclog export" "$T/err"
check "an unknown format is refused" status 2 "$SECLOG" export -F yaml "$FIXTURES/../../examples/webapp.json"
check "--help" status 0 "$SECLOG" export --help

ex=$FIXTURES/../../examples/webapp.json
cp "$ex" "$T/webapp.json"
check "spo (the default)" status 0 "$SECLOG" export "$T/webapp.json"
cp "$T/out" "$T/webapp.yaml"
check "valid against SPO's CRD" valid "$T/webapp.yaml"
check "a SeccompProfile named after the file" jqok '.apiVersion == "security-profiles-operator.x-k8s.io/v1beta1" and
	.kind == "SeccompProfile" and .metadata == {name: "webapp"}' "$T/webapp.yaml.json"
# the same rules, less Docker's comments; defaultErrnoRet 1 is the runtimes' own default
check "the spec is the profile less comments and defaultErrnoRet" jqok --slurpfile p "$T/webapp.json" \
	'.spec == ($p[0] | del(.comment, .defaultErrnoRet, .syscalls[].comment))' "$T/webapp.yaml.json"
check "the same bytes again" sh -c "\"\$SECLOG\" export '$T/webapp.json' | cmp -s - '$T/webapp.yaml'"
check "oci" status 0 "$SECLOG" export -F oci "$T/webapp.json"
check "the OCI block is the profile less comments" jqok --slurpfile p "$T/webapp.json" \
	'. == ($p[0] | del(.comment, .syscalls[].comment))' "$T/out"
check "docker: the file as it is" status 0 "$SECLOG" export -F docker "$T/webapp.json"
check "byte for byte" same "$T/out" "$T/webapp.json"
check "--name and --namespace" status 0 "$SECLOG" export -n web-1 --namespace prod "$T/webapp.json"
check "written" sh -c "yaml2() { python3 -c 'import yaml, json, sys; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'; }; yaml2 <'$T/out' | jq -e '.metadata == {name: \"web-1\", namespace: \"prod\"}' >/dev/null"
check "-o FILE" status 0 "$SECLOG" export -o "$T/w.yaml" "$T/webapp.json"
check "is the same" same "$T/w.yaml" "$T/webapp.yaml"
check "said so" has "seclog: $T/w.yaml: SeccompProfile written" "$T/err"
check "-o the profile itself is refused" status 2 "$SECLOG" export -F oci -o "$T/webapp.json" "$T/webapp.json"
cp "$ex" "$T/My_App.json"
check "a file name that is no object name" status 2 "$SECLOG" export "$T/My_App.json"
check "asks for --name" has "give --name" "$T/err"
check "an invalid --name" status 2 "$SECLOG" export -n Web_1 "$T/My_App.json"
check "an invalid --namespace" status 2 "$SECLOG" export --namespace a.b "$T/webapp.json"

# strings a YAML reader could take for something else are quoted, and
# come back as the same strings
cat >"$T/q.json" <<'JSON'
{
	"defaultAction": "SCMP_ACT_LOG",
	"listenerPath": "/var/run/security-profiles-operator/agent.sock",
	"listenerMetadata": "on: #1 \"q\" \\ tab\t nl\n é",
	"syscalls": [{ "names": ["read"], "action": "SCMP_ACT_ALLOW" }]
}
JSON
for n in on 0x1f 1e3 null 123 y.es; do
	check "--name $n" status 0 "$SECLOG" export -n $n "$T/q.json"
	cp "$T/out" "$T/q-$n.yaml"
	check "read back as the string $n" sh -c "python3 -c 'import yaml, json, sys; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <'$T/q-$n.yaml' | jq -e --arg n '$n' '.metadata.name == \$n' >/dev/null"
done
check "valid" valid "$T/q-on.yaml"
# every kind of string YAML reads as something else, as listenerMetadata
jq -n '["", " lead", "trail ", "- x", "a: b", "#x", "x #y", "*a", "&a", "!t", "%p", "@a", "`b",
	"'\''q", "?", ":", "|", ">", "[a]", "{a}", "1.0", ".inf", "~", "Yes", "NO", "Off", "0o17", "+1",
	"2026-12-01", "12:30", "a\"b", "back\\slash", "nl\nnl", "\u0001", "é", "true", "=", "<<", "\u0085", "a\u2028b", "\u2029", "\ufeffx", "\u007f"]' >"$T/strings.json"
check "43 strings" jqok 'length == 43' "$T/strings.json"
check "tricky strings" sh -c "jq -c '.[]' '$T/strings.json' | while read -r s; do
	jq --argjson s \"\$s\" '.listenerMetadata = \$s' '$T/q.json' >'$T/s.json' &&
	\"\$SECLOG\" export -q '$T/s.json' -n s >'$T/s.yaml' &&
	python3 -c 'import yaml, json, sys; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <'$T/s.yaml' |
	jq -e --argjson s \"\$s\" '.spec.listenerMetadata == \$s' >/dev/null ||
	{ echo \"  not read back: \$s\" >&2; exit 1; }; done"
check "listenerMetadata comes back byte for byte" jqok --slurpfile p "$T/q.json" \
	'.spec.listenerMetadata == $p[0].listenerMetadata and .spec.listenerPath == $p[0].listenerPath' "$T/q-on.yaml.json"
check "a default that enforces nothing is warned about" has "enforces nothing" "$T/err"

# what SPO cannot hold: refused with the reason; OCI holds it
jq '.defaultErrnoRet = 38' "$T/webapp.json" >"$T/enosys.json"
check "spo: defaultErrnoRet 38 refused" status 1 "$SECLOG" export "$T/enosys.json"
check "why" has "SPO's SeccompProfile has no defaultErrnoRet" "$T/err"
check "oci keeps it" status 0 "$SECLOG" export -F oci "$T/enosys.json"
check "as 38" jqok '.defaultErrnoRet == 38' "$T/out"
jq '.architectures += ["SCMP_ARCH_LOONGARCH64"]' "$T/webapp.json" >"$T/loong.json"
check "spo: an arch SPO does not list" status 1 "$SECLOG" export "$T/loong.json"
check "named" has "SCMP_ARCH_LOONGARCH64: SPO's SeccompProfile does not take it" "$T/err"
jq '.syscalls[1].args[0].value = -1' "$T/webapp.json" >"$T/neg.json"
check "spo: a negative argument value" status 1 "$SECLOG" export "$T/neg.json"
check "oci keeps it" status 0 "$SECLOG" export -F oci "$T/neg.json"
jq '.listenerPath = "/run/agent.sock"' "$T/webapp.json" >"$T/lp.json"
check "spo: a listener outside SPO's directory" status 1 "$SECLOG" export "$T/lp.json"
# the checker itself refuses what the API server would
jq '.spec.syscalls[0].comment = "x"' "$T/webapp.yaml.json" >"$T/bad.json"
check "the checker refuses an unknown field" status 1 "$HELPERS/helper-crd" "$T/schema.json" "$T/bad.json"
jq '.spec.architectures = ["SCMP_ARCH_LOONGARCH64"]' "$T/webapp.yaml.json" >"$T/bad.json"
check "and an arch not in the enum" status 1 "$HELPERS/helper-crd" "$T/schema.json" "$T/bad.json"
jq '.spec.syscalls[1].args[0].value = -1' "$T/webapp.yaml.json" >"$T/bad.json"
check "and a negative value" status 1 "$HELPERS/helper-crd" "$T/schema.json" "$T/bad.json"

# a name-less rule matches nothing (SPO wants one name at least); "name" is "names"
jq '.syscalls += [{names: [], action: "SCMP_ACT_ALLOW"}, {name: "getpid", action: "SCMP_ACT_ALLOW"}]' \
	"$T/webapp.json" >"$T/names.json"
check "spo: an empty names list and a \"name\"" status 0 "$SECLOG" export "$T/names.json"
cp "$T/out" "$T/names.yaml"
check "valid" valid "$T/names.yaml"
check "the empty rule goes, name becomes names" jqok '.spec.syscalls[-1] == {names: ["getpid"], action: "SCMP_ACT_ALLOW"} and
	(.spec.syscalls | length) == 4' "$T/names.yaml.json"

# a name twice in a rule, a flag twice: once (SPO's lists are sets)
jq '.syscalls[0].names += ["read"] | .flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_LOG"]' \
	"$T/webapp.json" >"$T/dup.json"
check "duplicates" status 0 "$SECLOG" export "$T/dup.json"
cp "$T/out" "$T/dup.yaml"
check "valid" valid "$T/dup.yaml"
check "listed once" jqok '.spec.flags == ["SECCOMP_FILTER_FLAG_LOG"] and .spec.syscalls[0].names == ["read", "write", "close", "exit_group"]' "$T/dup.yaml.json"
jq '.spec.flags += ["SECCOMP_FILTER_FLAG_LOG"]' "$T/dup.yaml.json" >"$T/bad.json"
check "the checker refuses a duplicate in a set" status 1 "$HELPERS/helper-crd" "$T/schema.json" "$T/bad.json"
jq '.syscalls[1].args = [range(7) | {index: ., value: 0, op: "SCMP_CMP_EQ"}]' "$T/webapp.json" >"$T/args7.json"
check "spo: 7 args refused" status 1 "$SECLOG" export "$T/args7.json"
jq '.syscalls[2].errnoRet = 4294967296' "$T/webapp.json" >"$T/big.json"
check "spo: an errnoRet past int32 refused" status 1 "$SECLOG" export "$T/big.json"

# a complain twin: refused unless told which form
check "complain twin" status 0 "$SECLOG" complain -q -o "$T/twin.json" "$T/webapp.json"
check "a twin is refused" status 1 "$SECLOG" export "$T/twin.json"
check "naming both ways" has "complain twin.*--enforcing.*--complain" "$T/err"
check "--complain" status 0 "$SECLOG" export --complain -n webapp "$T/twin.json"
cp "$T/out" "$T/twin.yaml"
check "valid" valid "$T/twin.yaml"
check "logs, without seclog's record" jqok '.spec.defaultAction == "SCMP_ACT_LOG" and (.spec | has("seclog") | not)' "$T/twin.yaml.json"
check "--enforcing" status 0 "$SECLOG" export --enforcing -n webapp "$T/twin.json"
check "is the export of the enforcing profile" same "$T/out" "$T/webapp.yaml"
check "docker --enforcing" status 0 "$SECLOG" export -F docker --enforcing "$T/twin.json"
check "is seclog enforce's profile" sh -c "\"\$SECLOG\" enforce -o - '$T/twin.json' | cmp -s - '$T/out'"
check "--complain and --enforcing together" status 2 "$SECLOG" export --complain --enforcing "$T/twin.json"

# --bundle: linux.seccomp set in config.json, every other byte kept
mkdir "$T/b"
printf '{\n\t"ociVersion": "1.0.2",\n\t"linux": {\n\t\t"namespaces": [\n\t\t\t{ "type": "pid" }\n\t\t]\n\t}\n}\n' >"$T/b/config.json"
cp "$T/b/config.json" "$T/b.orig"
check "--bundle" status 0 "$SECLOG" export --bundle "$T/b" "$T/webapp.json"
check "said so" has "seclog: $T/b/config.json: linux.seccomp written" "$T/err"
check "linux.seccomp is the OCI export" sh -c "\"\$SECLOG\" export -F oci '$T/webapp.json' >'$T/block.json' &&
	jq -e --slurpfile b '$T/block.json' '.linux.seccomp == \$b[0]' '$T/b/config.json' >/dev/null"
check "the rest as it was" sh -c "jq -S 'del(.linux.seccomp)' '$T/b/config.json' >'$T/x1'; jq -S . '$T/b.orig' >'$T/x2'; cmp -s '$T/x1' '$T/x2'"
head -n 5 "$T/b.orig" >"$T/x1"
check "its bytes too, before the new member" sh -c "head -c $(wc -c <"$T/x1") '$T/b/config.json' | cmp -s - '$T/x1'"
tail -n 2 "$T/b.orig" >"$T/x2"
check "and after it" sh -c "tail -n 2 '$T/b/config.json' | cmp -s - '$T/x2'"
check "in the file's indentation (tabs)" has '^			"defaultAction": "SCMP_ACT_ERRNO",$' "$T/b/config.json"
cp "$T/b/config.json" "$T/b.once"
check "again, over Docker's" status 0 "$SECLOG" export -q -b "$T/b" "${docker:-$T/enosys.json}"
check "replaced" jqok '.linux.seccomp.defaultAction == "SCMP_ACT_ERRNO" and (.linux.seccomp.syscalls | length) > 3 or .linux.seccomp.defaultErrnoRet == 38' "$T/b/config.json"
check "and back" status 0 "$SECLOG" export -q -b "$T/b" "$T/webapp.json"
check "byte for byte the first result" same "$T/b/config.json" "$T/b.once"
printf '{"ociVersion": "1.0.2"}\n' >"$T/b/config.json"
check "no linux object: added" status 0 "$SECLOG" export -q -b "$T/b" "$T/webapp.json"
check "with its seccomp" jqok --slurpfile b "$T/block.json" '. == {ociVersion: "1.0.2", linux: {seccomp: $b[0]}}' "$T/b/config.json"
check "--bundle with -F spo" status 2 "$SECLOG" export -F spo -b "$T/b" "$T/webapp.json"
check "--bundle with -o" status 2 "$SECLOG" export -o x -b "$T/b" "$T/webapp.json"
check "no config.json" status 1 "$SECLOG" export -b "$T/none" "$T/webapp.json"
check "named" has "$T/none/config.json: No such file" "$T/err"

# Docker's real default: archMap and includes/excludes resolved as Docker does
if [ -n "$docker" ] && [ "$(uname -m)" = x86_64 ]; then
	check "Docker's default" status 0 "$SECLOG" export -n docker-default "$docker"
	cp "$T/out" "$T/dd.yaml"
	check "valid against SPO's CRD" valid "$T/dd.yaml"
	check "archMap: amd64's entry" jqok '.spec.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]' "$T/dd.yaml.json"
	allowed='[.spec.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and (has("args") | not)) | .names[]]'
	check "default caps: no bpf, clone3 is ENOSYS" jqok "($allowed | index(\"bpf\") == null) and
		([.spec.syscalls[] | select(.names == [\"clone3\"])] == [{names: [\"clone3\"], action: \"SCMP_ACT_ERRNO\", errnoRet: 38}])" "$T/dd.yaml.json"
	check "--cap-add SYS_ADMIN" status 0 "$SECLOG" export -n dd --cap-add SYS_ADMIN "$docker"
	cp "$T/out" "$T/dd-admin.yaml"
	check "valid" valid "$T/dd-admin.yaml"
	check "bpf, clone and clone3 allowed as such" jqok "($allowed | index(\"bpf\") != null and index(\"clone3\") != null and
		index(\"clone\") != null)" "$T/dd-admin.yaml.json"
	check "--arch aarch64" status 0 "$SECLOG" export -F oci -a aarch64 "$docker"
	check "arm64's entry, and its arch rules" jqok '.architectures == ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"] and
		([.syscalls[].names[]] | index("arm_fadvise64_64") != null and index("arch_prctl") == null)' "$T/out"
	check "no includes, excludes or comment left" jqok '([.. | objects | (has("includes") or has("excludes") or has("comment"))] | any | not)' "$T/out"
else
	echo "# Docker's default profile not available (apt) or not x86_64: archMap not tested on it"
fi

finish
