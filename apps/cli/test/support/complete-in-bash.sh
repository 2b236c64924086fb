# Prints, one a line, what bash offers on TAB after the words given as arguments (the last one is the word
# being completed), with patternloop's completion script loaded as a user's .bashrc loads it.
# Usage: bash complete-in-bash.sh BASH_COMPLETION_FILE patternloop analyze ""
source "$1"
shift
source <(patternloop completion bash)
fn=$(complete -p patternloop | sed -E 's/.*-F ([^ ]+).*/\1/')
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
# compopt complains outside a real TAB press; what matters is COMPREPLY.
"$fn" patternloop "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
printf '%s\n' "${COMPREPLY[@]}"
