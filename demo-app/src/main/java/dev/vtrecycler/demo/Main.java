package dev.vtrecycler.demo;

public final class Main {
    public static void main(String[] args) {
        System.err.println("demo: not yet built");
    }
}
