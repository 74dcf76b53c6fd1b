#include "sileram/cli/app.hpp"

int main(int argc, char** argv) {
    return sileram::cli::run(argc, argv);
}
