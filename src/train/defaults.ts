/** Training defaults the CLI shows in its help without loading the training code (and jax-js). */

/** Default final-accuracy threshold above which a run counts as trainable. */
export const DEFAULT_TRAINABLE_THRESHOLD = 0.5;
