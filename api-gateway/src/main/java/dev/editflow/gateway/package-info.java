/** The api-gateway: the public v1 HTTP API of editflow. */
@NullMarked
package dev.editflow.gateway;

import org.jspecify.annotations.NullMarked;
