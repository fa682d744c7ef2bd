package dev.vtrecycler.agent;

public final class VtRecyclerAgent {
    public static void main(String[] args) {}
}
