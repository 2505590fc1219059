/** q2c-hub: quote-to-cash integration hub. */
package io.q2chub;
