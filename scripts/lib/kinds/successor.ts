/** What the first `pulumi up` does about a hand-made credential the stack cannot adopt: it issues a successor in `slot`. */
export function successorThen(slot: string, handMade: string | undefined): string {
    return `The first \`pulumi up\` issues a new one in slot ${slot} and writes it to every consumer; then remove ${handMade ?? "the hand-made one"}.`;
}
