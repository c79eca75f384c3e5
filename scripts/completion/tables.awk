# tables.awk - one command's completion tables from its --help (gen-completion)
#   _seclog_flags[CMD]       every flag
#   _seclog_args[CMD:FLAG]   the argument a flag takes (its metavar)
#   _seclog_values[CMD:FLAG] the words a flag's argument is one of, when the
#                            help lists them ("a, b, c or d", SCMP_ACT_*)
#   _seclog_subcmds[CMD]     the words of a Subcommands: section
#   _seclog_files[CMD]       set when the usage line takes operands (files)

function values(flag, text,   v, w) {
	if (flag == "" || !(cmd ":" flag in arg))
		return
	if (text ~ /SCMP_ACT_/) {
		v = ""
		while (match(text, /SCMP_ACT_[A-Z_]+/)) {
			w = substr(text, RSTART, RLENGTH)
			v = v (v == "" ? "" : " ") w
			text = substr(text, RSTART + RLENGTH)
		}
		val[cmd ":" flag] = v
	} else if (match(text, /[a-z][a-z0-9-]*(, [a-z][a-z0-9-]*)+ or [a-z][a-z0-9-]*/)) {
		v = substr(text, RSTART, RLENGTH)
		gsub(/,/, "", v)
		gsub(/ or /, " ", v)
		val[cmd ":" flag] = v
	}
}

# the description of the flags of the last option line, with its
# continuation lines, once it is complete
function flush() {
	values(lshort, desc)
	values(llong, desc)
	lshort = llong = desc = ""
}

NR == 1 {
	# operands: what is left of the usage line without [...], flags and
	# their arguments, and what follows --
	line = $0
	while (gsub(/\[[^][]*\]/, "", line))
		;
	n = split(line, t, " ")
	for (i = 3; i <= n; i++) {
		if (t[i] == "--")
			break
		if (t[i] ~ /^-/) {
			if (t[i + 1] ~ /^[A-Z]+$/)
				i++
			continue
		}
		if (t[i] ~ /^[A-Z]+$/)
			files = 1
	}
	next
}

/^[A-Z][A-Za-z ]*:/ { flush(); insub = ($0 ~ /^Subcommands:/); next }

insub && /^  [a-z][a-z-]*  / { sub(/^  /, ""); sub(/ .*/, ""); subs = subs (subs == "" ? "" : " ") $0; next }

/^  +-/ {
	flush()
	line = $0
	sub(/^ +/, "", line)
	if (match(line, /^-[a-zA-Z0-9], /)) {
		lshort = substr(line, 1, 2)
		line = substr(line, RLENGTH + 1)
	} else if (match(line, /^-[a-zA-Z0-9]( |$)/)) {
		lshort = substr(line, 1, 2)
		line = substr(line, 3)
	}
	if (match(line, /^--[a-zA-Z][a-zA-Z0-9-]*/)) {
		llong = substr(line, 1, RLENGTH)
		line = substr(line, RLENGTH + 1)
	}
	if (match(line, /^ [A-Z][A-Z_]*( |$)/)) {
		m = substr(line, 2, RLENGTH - 1)
		sub(/ $/, "", m)
		if (lshort != "")
			arg[cmd ":" lshort] = m
		if (llong != "")
			arg[cmd ":" llong] = m
		line = substr(line, RLENGTH + 1)
	}
	if (lshort != "")
		flags = flags " " lshort
	if (llong != "")
		flags = flags " " llong
	desc = line
	next
}

/^   +[^ -]/ && (lshort != "" || llong != "") { desc = desc " " $0; next }

{ flush() }

END {
	flush()
	printf "_seclog_flags[%s]='%s'\n", cmd, substr(flags, 2)
	for (k in arg)
		printf "_seclog_args[%s]=%s\n", k, arg[k]
	for (k in val)
		printf "_seclog_values[%s]='%s'\n", k, val[k]
	if (subs != "")
		printf "_seclog_subcmds[%s]='%s'\n", cmd, subs
	if (files)
		printf "_seclog_files[%s]=1\n", cmd
}
