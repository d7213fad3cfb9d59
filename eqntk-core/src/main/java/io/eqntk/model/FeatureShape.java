package io.eqntk.model;

import io.eqntk.group.PointGroup;

/**
 * The shape of a feature map between layers: a spatial map [H, W, C] (group == null), a group feature map
 * [|G|, H, W, C] (functions on the group times the grid), or a reduced vector of C features.
 */
public record FeatureShape(PointGroup group, int height, int width, int channels, boolean reduced) {

    public static FeatureShape image(int height, int width, int channels) {
        return new FeatureShape(null, height, width, channels, false);
    }

    public static FeatureShape vector(int channels) {
        return new FeatureShape(null, 1, 1, channels, true);
    }

    public static FeatureShape groupMap(PointGroup group, int height, int width, int channels) {
        return new FeatureShape(group, height, width, channels, false);
    }

    public boolean isGroupMap() {
        return group != null && !reduced;
    }

    /** Number of group copies: |G| for a group map, else 1. */
    public int groupSize() {
        return isGroupMap() ? group.order() : 1;
    }

    public int positions() {
        return height * width;
    }

    /** Number of scalars in one feature map of this shape. */
    public int size() {
        return reduced ? channels : groupSize() * height * width * channels;
    }

    public FeatureShape withChannels(int c) {
        return new FeatureShape(group, height, width, c, reduced);
    }

    @Override
    public String toString() {
        if (reduced) {
            return "[" + channels + "]";
        }
        return (group == null ? "[" : "[" + group.name() + ", ") + height + ", " + width + ", " + channels + "]";
    }
}
