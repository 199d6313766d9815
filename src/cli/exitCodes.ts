/** Exit codes shared by every command (scripted reviews rely on them). */
export const EXIT_OK = 0;
/** The question was answered and the answer is "no" / a rule is violated. */
export const EXIT_VIOLATION = 1;
/** The input, the configuration or the setup is wrong. */
export const EXIT_USAGE = 2;
/** Something unexpected broke inside whocan (a bug). */
export const EXIT_INTERNAL = 70;
